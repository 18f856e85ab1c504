// Reads {versions, pairs, ranges, probes} as JSON (file argument or stdin) and writes what the
// reference NuGet.Versioning says about each input, as one JSON object on stdout.
using System.Text.Json;
using NuGet.Versioning;

using var input = args.Length > 0 ? File.OpenRead(args[0]) : Console.OpenStandardInput();
using var doc = JsonDocument.Parse(input);
var root = doc.RootElement;
var probes = Strings(root, "probes").Select(p => NuGetVersion.Parse(p)).ToList();

using var output = Console.OpenStandardOutput();
using var w = new Utf8JsonWriter(output);
w.WriteStartObject();
w.WriteStartArray("versions");
foreach (var text in Strings(root, "versions")) Oracle.WriteVersion(w, text);
w.WriteEndArray();
w.WriteStartArray("pairs");
foreach (var pair in root.GetProperty("pairs").EnumerateArray())
{
    var okA = NuGetVersion.TryParse(pair[0].GetString(), out var a);
    var okB = NuGetVersion.TryParse(pair[1].GetString(), out var b);
    if (okA && okB) w.WriteNumberValue(Math.Sign(VersionComparer.Default.Compare(a, b)));
    else w.WriteNullValue();
}
w.WriteEndArray();
w.WriteStartArray("ranges");
foreach (var text in Strings(root, "ranges")) Oracle.WriteRange(w, text, probes);
w.WriteEndArray();
w.WriteEndObject();
w.Flush();

static IEnumerable<string> Strings(JsonElement root, string name) =>
    root.GetProperty(name).EnumerateArray().Select(e => e.GetString() ?? "");

static class Oracle
{
    public static void WriteVersion(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("input", text);
        if (NuGetVersion.TryParse(text, out var v))
        {
            w.WriteStartObject("parsed");
            w.WriteNumber("major", v.Major);
            w.WriteNumber("minor", v.Minor);
            w.WriteNumber("patch", v.Patch);
            w.WriteNumber("revision", v.Revision);
            w.WriteString("release", v.Release);
            w.WriteString("metadata", v.Metadata);
            w.WriteString("originalVersion", v.OriginalVersion);
            w.WriteString("normalized", v.ToNormalizedString());
            w.WriteString("full", v.ToFullString());
            w.WriteString("toString", v.ToString());
            w.WriteBoolean("isPrerelease", v.IsPrerelease);
            w.WriteBoolean("isSemVer2", v.IsSemVer2);
            w.WriteEndObject();
        }
        else w.WriteNull("parsed");
        var strictNuGet = NuGetVersion.TryParseStrict(text, out var s);
        var strictSemVer = SemanticVersion.TryParse(text, out var sv);
        // Both strict parsers implement SemVer 2.0.0; report each so a split between them shows.
        w.WriteString("strict", strictNuGet ? s!.ToNormalizedString() : null);
        w.WriteString("strictSemVer", strictSemVer ? sv!.ToNormalizedString() : null);
        w.WriteEndObject();
    }

    public static void WriteRange(Utf8JsonWriter w, string text, IReadOnlyList<NuGetVersion> probes)
    {
        w.WriteStartObject();
        w.WriteString("input", text);
        if (VersionRange.TryParse(text, out var r))
        {
            w.WriteStartObject("parsed");
            w.WriteString("normalized", r.ToNormalizedString());
            w.WriteString("toString", r.ToString());
            w.WriteString("prettyPrint", r.PrettyPrint());
            w.WriteString("legacy", r.ToLegacyString());
            w.WriteString("legacyShort", r.ToLegacyShortString());
            w.WriteString("originalString", r.OriginalString);
            w.WriteString("minToString", r.MinVersion?.ToString());
            w.WriteString("maxToString", r.MaxVersion?.ToString());
            w.WriteBoolean("isMinInclusive", r.IsMinInclusive);
            w.WriteBoolean("isMaxInclusive", r.IsMaxInclusive);
            w.WriteString("floatBehavior", r.IsFloating ? r.Float.FloatBehavior.ToString() : null);
            w.WriteString("satisfies", string.Concat(probes.Select(p => r.Satisfies(p) ? '1' : '0')));
            w.WriteEndObject();
        }
        else w.WriteNull("parsed");
        // The nuspec case: floats are not allowed, so only non-floating ranges parse.
        var fixedOk = VersionRange.TryParse(text, allowFloating: false, out var f) && !f.IsFloating;
        w.WriteString("noFloat", fixedOk ? f!.ToNormalizedString() : null);
        var floatOk = FloatRange.TryParse(text, out var fr);
        w.WriteString("floatRange", floatOk ? $"{fr!.FloatBehavior} {fr} {fr.MinVersion.ToNormalizedString()}" : null);
        w.WriteEndObject();
    }
}
