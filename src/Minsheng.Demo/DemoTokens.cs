using System.Collections.Concurrent;
using Minsheng.Hosting.Auth;

namespace Minsheng.Demo;

/// <summary>
/// Bearer tokens the demo signs with the host's own key, one per role, named for a demo person (演示-天水), renewed
/// well before they expire. Their lifetimes run on real time, as the host checks them. Unit roles name the demo plan's
/// district, as every unit token must.
/// </summary>
public sealed class DemoTokens(byte[] key, TimeProvider time, string district)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _tokens = new(StringComparer.Ordinal);

    /// <summary>A valid token for the role, issued to the person.</summary>
    public string For(string role, string person)
    {
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(role, out var held) && held.RenewAt > now) return held.Token;
        var token = TokenIssuer.Issue(key, role, Lifetime, now, person, Caller.IsUnitRole(role, out _, out _) ? district : null);
        _tokens[role] = (token, now + Lifetime / 2);
        return token;
    }
}
