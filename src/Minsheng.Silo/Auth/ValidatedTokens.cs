using System.Collections.Concurrent;
using Microsoft.IdentityModel.Tokens;

namespace Minsheng.Silo.Auth;

/// <summary>
/// Bearer-token validation, done once per token and remembered until the token's <c>exp</c>: a dashboard or a street's
/// client sends the same token with every request, and checking its HS256 signature, issuer, audience and lifetime
/// again each time (decoding and parsing it first) is CPU spent on an answer already known. Wraps the handler JWT
/// bearer authentication uses (<see cref="Inner"/>); JwtBearer's events and failures are unchanged.
/// <list type="bullet">
/// <item>Only a token the inner handler accepted is remembered; a refused one (bad signature, wrong issuer or audience,
/// not yet valid, expired) is validated again every time it comes.</item>
/// <item>An entry lives until the token's <c>exp</c>, never beyond and without the validation's clock skew: at
/// <c>exp</c> it is dropped and the token goes back to the inner handler, which judges it as it always did.</item>
/// <item>At most <see cref="Capacity"/> tokens: when full, expired entries are swept; when still full, the token is
/// validated without being remembered.</item>
/// <item>Each request gets its own copy of the identity, so nothing one request does to its principal reaches another.</item>
/// </list>
/// One instance serves one authentication scheme, whose validation parameters (a fixed signing key, issuer, audience)
/// do not change while the process runs; a new key means a new process, and an empty cache.
/// </summary>
public sealed class ValidatedTokens(TokenHandler inner, TimeProvider clock, int capacity = ValidatedTokens.DefaultCapacity) : TokenHandler
{
    /// <summary>Tokens remembered by default: far more than a district's callers use at once.</summary>
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>The handler that really validates.</summary>
    public TokenHandler Inner { get; } = inner;

    /// <summary>The most tokens remembered at once.</summary>
    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "At least one token.");

    /// <summary>Tokens remembered now.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_entries.TryGetValue(token, out var known))
        {
            if (now < known.Expires) return known.Answer();
            Forget(token, known);
        }

        var result = await Inner.ValidateTokenAsync(token, validationParameters).ConfigureAwait(false);
        // Remembered only while the token is inside its lifetime (a token without exp has ValidTo = MinValue: never).
        if (result is { IsValid: true, SecurityToken: { } validated, ClaimsIdentity: { } identity }
            && validated.ValidTo > now)
        {
            Remember(token, new Entry(validated, identity.Clone(), result.Issuer, result.TokenType, validated.ValidTo));
        }
        return result;
    }

    private void Remember(string token, Entry entry)
    {
        if (Interlocked.Increment(ref _count) > Capacity)
        {
            Interlocked.Decrement(ref _count);
            Sweep(clock.GetUtcNow().UtcDateTime);
            if (Interlocked.Increment(ref _count) > Capacity)
            {
                Interlocked.Decrement(ref _count);
                return;
            }
        }
        if (!_entries.TryAdd(token, entry)) Interlocked.Decrement(ref _count);
    }

    /// <summary>Drops every entry whose token has expired by <paramref name="now"/>.</summary>
    private void Sweep(DateTime now)
    {
        foreach (var (token, entry) in _entries)
            if (now >= entry.Expires) Forget(token, entry);
    }

    private void Forget(string token, Entry entry)
    {
        if (_entries.TryRemove(KeyValuePair.Create(token, entry))) Interlocked.Decrement(ref _count);
    }

    /// <summary>A validated token: what the inner handler answered, kept to answer the same way until <see cref="Expires"/>.</summary>
    private sealed record Entry(SecurityToken Token, System.Security.Claims.ClaimsIdentity Identity, string? Issuer, string? TokenType, DateTime Expires)
    {
        public TokenValidationResult Answer() => new()
        {
            IsValid = true,
            SecurityToken = Token,
            ClaimsIdentity = Identity.Clone(),
            Issuer = Issuer,
            TokenType = TokenType,
        };
    }
}
