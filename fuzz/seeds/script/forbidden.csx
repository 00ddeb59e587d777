#r "System.Data"
using System;
using System.Diagnostics;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using static System.Math;
using JObj = Newtonsoft.Json.Linq.JObject;
using Newtonsoft.Json.Linq;

// Comments may name anything: File.ReadAllText, Process.Start, System.Reflection.
/* using System.Data.SqlClient; */
public class Script : ScriptBase
{
    public override async Task<HttpResponseMessage> ExecuteAsync()
    {
        if (this.Context.OperationId != "ListItems")
        {
            return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        }
        var response = await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);
        var body = JObject.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false));
        var note = @"Strings are text: ""File.Delete(x)"" and Process.Start(""sh"")";
        var label = $"{body["value"]?.Count() ?? 0} items, {{not a hole}} {Max(1, 2)}";
        body["note"] = note + label + System.IO.File.ReadAllText("/etc/passwd");
        var p = new ProcessStartInfo("sh");
        Process.Start(p);
        var m = typeof(Script).GetMethod("Describe");
        var s = new System.Net.Sockets.TcpClient("10.0.0.1", 22);
        response.Content = CreateJsonContent(body.ToString());
        return response;
    }

    private static string Describe(HttpStatusCode code) => code == HttpStatusCode.OK ? "ok" : "not ok";
}
