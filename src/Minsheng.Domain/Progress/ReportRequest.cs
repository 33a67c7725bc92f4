using System.Security.Cryptography;
using System.Text;

namespace Minsheng.Domain.Progress;

/// <summary>A progress report (进度上报) as a street or department sends it: a cumulative count, never a delta.</summary>
public sealed record ReportRequest(
    string ReportId,
    string TaskId,
    string UnitId,
    string MetricId,
    long Completed,
    string? Note,
    IReadOnlyList<string> Evidence,
    bool Correction,
    string? Reason)
{
    /// <summary>
    /// A digest of everything the report says. A retry with the same <see cref="ReportId"/> must carry the same
    /// fingerprint; another body under the same id is a conflict.
    /// </summary>
    public string Fingerprint()
    {
        var text = string.Join('\u001f',
            ReportId, TaskId, UnitId, MetricId, Completed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Note ?? "\u0000", string.Join('\u001e', Evidence), Correction ? "1" : "0", Reason ?? "\u0000");
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
