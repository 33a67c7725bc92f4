using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Minsheng.Hosting.Auth;
using Minsheng.Silo.Auth;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Bearer tokens are validated once and remembered until their exp, never beyond; a refused token is never remembered;
/// the cache holds at most its capacity. Against IdentityModel's own handler, with the service's validation parameters.
/// </summary>
public sealed class ValidatedTokensTests
{
    private static readonly byte[] Key = RandomNumberGenerator.GetBytes(32);

    /// <summary>The service's parameters without the 30 s clock skew, so an expired token is refused the moment it expires.</summary>
    private static TokenValidationParameters Parameters()
    {
        var parameters = TokenIssuer.ValidationParameters(Key);
        parameters.ClockSkew = TimeSpan.Zero;
        return parameters;
    }

    private static string Token(string role = "office", TimeSpan? lifetime = null, byte[]? key = null) =>
        TokenIssuer.Issue(key ?? Key, role, lifetime ?? TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    [Fact]
    public async Task A_valid_token_is_validated_once_and_each_answer_has_its_own_identity()
    {
        var inner = new CountingHandler();
        var tokens = new ValidatedTokens(inner, TimeProvider.System);
        var token = Token("street:tianshui");

        var first = await tokens.ValidateTokenAsync(token, Parameters());
        var second = await tokens.ValidateTokenAsync(token, Parameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, tokens.Count);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), second.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
        Assert.Equal("street:tianshui", second.ClaimsIdentity.FindFirst("role")?.Value);
        Assert.Same(first.SecurityToken, second.SecurityToken);
    }

    [Fact]
    public async Task An_expired_token_is_refused_even_though_it_was_remembered()
    {
        var inner = new CountingHandler();
        var tokens = new ValidatedTokens(inner, TimeProvider.System);
        var token = Token(lifetime: TimeSpan.FromSeconds(1));
        Assert.True((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);
        Assert.Equal(1, tokens.Count);

        // exp is whole seconds: wait until the wall clock is past it.
        var expires = new JsonWebToken(token).ValidTo;
        await Task.Delay(expires - DateTime.UtcNow + TimeSpan.FromMilliseconds(200));

        var late = await tokens.ValidateTokenAsync(token, Parameters());
        Assert.False(late.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(late.Exception);
        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public async Task The_cache_never_answers_past_exp_by_its_own_clock()
    {
        // The cache's clock moved past exp while the handler's wall clock did not: the handler is asked again, and a
        // token at or past its exp by the cache's clock is not remembered again.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var inner = new CountingHandler();
        var tokens = new ValidatedTokens(inner, clock);
        var token = Token(lifetime: TimeSpan.FromMinutes(10));
        await tokens.ValidateTokenAsync(token, Parameters());
        await tokens.ValidateTokenAsync(token, Parameters());
        Assert.Equal(1, inner.Calls);

        clock.Advance(TimeSpan.FromMinutes(10));
        await tokens.ValidateTokenAsync(token, Parameters());
        Assert.Equal(2, inner.Calls);
        Assert.Equal(0, tokens.Count);
        await tokens.ValidateTokenAsync(token, Parameters());
        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task A_token_with_a_bad_signature_is_never_remembered()
    {
        var inner = new CountingHandler();
        var tokens = new ValidatedTokens(inner, TimeProvider.System);
        var forged = Token(key: RandomNumberGenerator.GetBytes(32));
        var valid = Token();
        var tampered = valid[..^2] + (valid[^2] == 'A' ? "B" : "A") + valid[^1];

        foreach (var token in new[] { forged, forged, tampered, tampered })
            Assert.False((await tokens.ValidateTokenAsync(token, Parameters())).IsValid);

        Assert.Equal(4, inner.Calls);
        Assert.Equal(0, tokens.Count);
    }

    [Fact]
    public async Task The_cache_holds_at_most_its_capacity_and_sweeps_expired_entries_when_full()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var inner = new CountingHandler();
        var tokens = new ValidatedTokens(inner, clock, capacity: 2);
        var shortLived = Token("street:tianshui", TimeSpan.FromMinutes(5));
        var longLived = Token("street:wulin", TimeSpan.FromHours(1));
        var third = Token("viewer", TimeSpan.FromHours(1));

        Assert.True((await tokens.ValidateTokenAsync(shortLived, Parameters())).IsValid);
        Assert.True((await tokens.ValidateTokenAsync(longLived, Parameters())).IsValid);
        // Full: the third is valid, answered by the handler, and not remembered.
        Assert.True((await tokens.ValidateTokenAsync(third, Parameters())).IsValid);
        Assert.True((await tokens.ValidateTokenAsync(third, Parameters())).IsValid);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(4, inner.Calls);

        // Once the short-lived token has expired by the cache's clock, a full cache sweeps it and makes room.
        clock.Advance(TimeSpan.FromMinutes(6));
        await tokens.ValidateTokenAsync(third, Parameters());
        await tokens.ValidateTokenAsync(third, Parameters());
        Assert.Equal(5, inner.Calls);
        Assert.Equal(2, tokens.Count);
    }

    /// <summary>IdentityModel's handler, counting the validations it really does.</summary>
    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
        private int _calls;

        public int Calls => _calls;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref _calls);
            return _handler.ValidateTokenAsync(token, validationParameters);
        }
    }
}
