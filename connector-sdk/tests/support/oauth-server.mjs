// An OAuth 2.0 provider for the tests: oauth2-mock-server (authorization code with PKCE checked,
// refresh, client credentials), scripted to refuse what a real provider refuses:
//   - the client secret `wrong-secret` (401 invalid_client);
//   - the refresh token `revoked` (400 invalid_grant).
// Prints `listening PORT` once started, and `token GRANT_TYPE` for every token request.
// Usage: node oauth-server.mjs MODULE_DIR
import path from "node:path";
import { pathToFileURL } from "node:url";

const moduleDir = process.argv[2];
const { OAuth2Server } = await import(
  pathToFileURL(path.join(moduleDir, "node_modules/oauth2-mock-server/dist/index.mjs")).href
);

const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
server.service.on("beforeResponse", (response, req) => {
  const body = req.body || {};
  console.log(`token ${body.grant_type}`);
  const auth = req.headers["authorization"] || "";
  const basic = auth.startsWith("Basic ")
    ? Buffer.from(auth.slice(6), "base64").toString()
    : "";
  const secret = basic.includes(":") ? decodeURIComponent(basic.split(":")[1]) : body.client_secret;
  if (secret === "wrong-secret") {
    response.statusCode = 401;
    response.body = { error: "invalid_client", error_description: "client authentication failed" };
  } else if (body.grant_type === "refresh_token" && body.refresh_token === "revoked") {
    response.statusCode = 400;
    response.body = { error: "invalid_grant", error_description: "the refresh token was revoked" };
  }
});
await server.start(0, "127.0.0.1");
const port = new URL(server.issuer.url).port;
console.log(`listening ${port}`);
