//! What the custom code rules share: the lexed script, and the platform's lists.

/// The namespaces custom code may use: the platform's documented list ("Write code in a custom
/// connector", *Supported namespaces*).
pub const ALLOWED_NAMESPACES: &[&str] = &[
    "System",
    "System.Collections",
    "System.Collections.Generic",
    "System.Diagnostics",
    "System.IO",
    "System.IO.Compression",
    "System.Linq",
    "System.Net",
    "System.Net.Http",
    "System.Net.Http.Headers",
    "System.Net.Security",
    "System.Security.Authentication",
    "System.Security.Cryptography",
    "System.Text",
    "System.Text.RegularExpressions",
    "System.Threading",
    "System.Threading.Tasks",
    "System.Web",
    "System.Xml",
    "System.Xml.Linq",
    "System.Drawing",
    "System.Drawing.Drawing2D",
    "System.Drawing.Imaging",
    "Microsoft.Extensions.Logging",
    "Newtonsoft.Json",
    "Newtonsoft.Json.Linq",
];

/// The largest script the platform takes.
pub const MAX_SCRIPT_BYTES: usize = 1024 * 1024;

/// A use of something custom code may not do, by area: the file system, sockets, processes,
/// reflection and native code. `prefixes` match a fully written name; `types` a type written
/// on its own (after a `using`) when a member of it is used or it is constructed.
pub struct Area {
    /// What it is, for the message.
    pub what: &'static str,
    /// Fully written names (`System.IO.File`).
    pub prefixes: &'static [&'static str],
    /// Type names used on their own (`File`, `Process`).
    pub types: &'static [&'static str],
    /// Member names that are this area whatever they are called on (`GetMethod`).
    pub members: &'static [&'static str],
}

/// The forbidden areas.
pub const FORBIDDEN: &[Area] = &[
    Area {
        what: "the file system",
        prefixes: &[
            "System.IO.File",
            "System.IO.Directory",
            "System.IO.FileStream",
            "System.IO.FileInfo",
            "System.IO.DirectoryInfo",
            "System.IO.DriveInfo",
            "System.IO.FileSystemWatcher",
            "System.IO.Path.GetTempPath",
            "System.IO.Path.GetTempFileName",
        ],
        types: &[
            "File",
            "Directory",
            "FileStream",
            "FileInfo",
            "DirectoryInfo",
            "DriveInfo",
            "FileSystemWatcher",
        ],
        members: &[],
    },
    Area {
        what: "sockets",
        prefixes: &["System.Net.Sockets"],
        types: &[
            "Socket",
            "TcpClient",
            "TcpListener",
            "UdpClient",
            "NetworkStream",
        ],
        members: &[],
    },
    Area {
        what: "processes",
        prefixes: &[
            "System.Diagnostics.Process",
            "System.Diagnostics.ProcessStartInfo",
        ],
        types: &["Process", "ProcessStartInfo"],
        members: &[],
    },
    Area {
        what: "reflection",
        prefixes: &[
            "System.Reflection",
            "System.Activator",
            "System.Type.GetType",
            "System.AppDomain",
        ],
        types: &[
            "Assembly",
            "Activator",
            "MethodInfo",
            "PropertyInfo",
            "FieldInfo",
            "AppDomain",
        ],
        members: &[
            "GetMethod",
            "GetMethods",
            "GetProperty",
            "GetProperties",
            "GetField",
            "GetFields",
            "InvokeMember",
            "GetTypeInfo",
        ],
    },
    Area {
        what: "native code",
        prefixes: &["System.Runtime.InteropServices"],
        types: &["Marshal", "DllImport", "DllImportAttribute"],
        members: &[],
    },
];
