// What a debugger does to find a DLL's symbols on a symbol server (SSQP): read the DLL's CodeView
// debug directory entry, derive the Portable PDB's key from it, download the PDB with the
// SymbolChecksum header the DLL's PdbChecksum entries give, and check that the PDB's id is the
// one the DLL names and that its checksum is the one the DLL recorded.
//
// Usage: SymbolClient <dll> <symbol server url> [<password for Basic auth, as dotnet-symbol's PAT>]
// Prints one JSON object (see README.md); exits 1 when the DLL names no Portable PDB.
using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: SymbolClient <dll> <symbol server url> [<password>]");
    return 2;
}

using var pe = new PEReader(File.OpenRead(args[0]));
var entries = pe.ReadDebugDirectory();
var codeView = entries.FirstOrDefault(e => e.Type == DebugDirectoryEntryType.CodeView);
if (codeView.Type != DebugDirectoryEntryType.CodeView || !codeView.IsPortableCodeView)
{
    Console.Error.WriteLine("the DLL names no Portable PDB in its debug directory");
    return 1;
}
var pdbRef = pe.ReadCodeViewDebugDirectoryData(codeView);
var checksums = entries
    .Where(e => e.Type == DebugDirectoryEntryType.PdbChecksum)
    .Select(pe.ReadPdbChecksumDebugDirectoryData)
    .ToList();

// SSQP key conventions: the file name alone, lower-cased; the GUID in "N" form; FFFFFFFF marks a Portable PDB.
var file = Path.GetFileName(PortablePath(pdbRef.Path)).ToLowerInvariant();
string Key(string guid, string age) => $"{Uri.EscapeDataString(file)}/{guid}{age}/{Uri.EscapeDataString(file)}";
var guidN = pdbRef.Guid.ToString("N");
var symbolChecksum = string.Join(';', checksums.Select(c => $"{c.AlgorithmName}:{Convert.ToHexStringLower(c.Checksum.AsSpan())}"));

using var http = new HttpClient { BaseAddress = new Uri(args[1].TrimEnd('/') + "/") };
if (args.Length > 2)
{
    // dotnet-symbol --authenticated-server-path: the token as the password of an empty user name.
    http.DefaultRequestHeaders.Authorization =
        new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(":" + args[2])));
}

async Task<(int Status, byte[] Body)> Get(string key, string? checksum)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, key);
    if (checksum is not null) request.Headers.TryAddWithoutValidation("SymbolChecksum", checksum);
    using var response = await http.SendAsync(request);
    return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync());
}

var key = Key(guidN, "FFFFFFFF");
var (status, pdb) = await Get(key, checksums.Count > 0 ? symbolChecksum : null);

bool? idMatches = null, checksumMatches = null;
if (status == 200)
{
    using var provider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
    var header = provider.GetMetadataReader().DebugMetadataHeader!;
    var id = new BlobContentId(header.Id);
    idMatches = id.Guid == pdbRef.Guid && id.Stamp == codeView.Stamp;
    // PdbChecksum: the hash of the PDB with its 20-byte id zeroed.
    var zeroed = (byte[])pdb.Clone();
    Array.Clear(zeroed, header.IdStartOffset, header.Id.Length);
    var sha256 = checksums.Where(c => c.AlgorithmName == "SHA256").Select(c => c.Checksum.ToArray()).ToList();
    checksumMatches = sha256.Count > 0 && sha256.All(expected => SHA256.HashData(zeroed).AsSpan().SequenceEqual(expected));
}

var wrongChecksum = "SHA256:" + new string('0', 64);
var probes = new Dictionary<string, int>
{
    ["upperGuidLowerAge"] = (await Get(Key(guidN.ToUpperInvariant(), "ffffffff"), null)).Status,
    ["ageOne"] = (await Get(Key(guidN, "1"), null)).Status,
    ["noChecksum"] = (await Get(key, null)).Status,
    ["wrongChecksum"] = (await Get(key, wrongChecksum)).Status,
    ["unknownGuid"] = (await Get(Key(new string('0', 32), "FFFFFFFF"), null)).Status,
    ["compressedProbe"] = (await Get($"{file[..^1]}_/{guidN}FFFFFFFF/{file[..^1]}_", null)).Status,
};

Console.WriteLine(JsonSerializer.Serialize(new
{
    key,
    symbolChecksum,
    status,
    bytes = pdb.Length,
    sha256 = Convert.ToHexStringLower(SHA256.HashData(pdb)),
    idMatches,
    checksumMatches,
    probes,
}));
return 0;

// CodeView paths are the compiler's, often Windows paths.
static string PortablePath(string path) => path.Replace('\\', '/');
