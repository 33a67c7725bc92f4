using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Minsheng.Domain.Notifications;

/// <summary>
/// The signature of a webhook delivery, sent in <see cref="Header"/>: <c>t={unix seconds},v1={hex}</c>, where the hex is
/// the lowercase HMAC-SHA256, keyed with the subscription's secret (UTF-8), of <c>"{t}."</c> followed by the raw body
/// bytes. The timestamp is signed with the body, so a receiver that checks it against its own clock refuses a replay.
/// </summary>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string Header = "X-Minsheng-Signature";

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="at"/> (whole seconds).</summary>
    public static string Create(string secret, DateTimeOffset at, ReadOnlySpan<byte> body) =>
        Create(secret, at.ToUnixTimeSeconds(), body);

    /// <summary>The header value for <paramref name="body"/> signed at <paramref name="unixSeconds"/>.</summary>
    public static string Create(string secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var t = unixSeconds.ToString(CultureInfo.InvariantCulture);
        return $"t={t},v1={Convert.ToHexStringLower(Mac(secret, t, body))}";
    }

    /// <summary>
    /// Whether <paramref name="header"/> is a signature of <paramref name="body"/> with <paramref name="secret"/>, made
    /// no further than <paramref name="tolerance"/> from <paramref name="now"/> either way. Several <c>v1</c> parts
    /// (a sender rotating its secret) pass when one matches; the comparison takes the same time wherever they differ.
    /// </summary>
    public static bool Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(header)) return false;
        string? t = null;
        var candidates = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("t=", StringComparison.Ordinal)) t = part[2..];
            else if (part.StartsWith("v1=", StringComparison.Ordinal) && Hex(part[3..]) is { } mac) candidates.Add(mac);
        }
        if (t is null || candidates.Count == 0) return false;
        if (!long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return false;
        var expected = Mac(secret, t, body);
        var matched = false;
        foreach (var candidate in candidates) matched |= CryptographicOperations.FixedTimeEquals(expected, candidate);
        return matched;
    }

    private static byte[] Mac(string secret, string t, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.ASCII.GetBytes(t + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static byte[]? Hex(string text)
    {
        if (text.Length != 64) return null;
        try { return Convert.FromHexString(text); }
        catch (FormatException) { return null; }
    }
}
