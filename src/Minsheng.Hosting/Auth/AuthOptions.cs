using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Minsheng.Hosting.Auth;

/// <summary>The key tokens are signed with (<c>Minsheng:Auth</c>); see <see cref="SigningKeys"/>.</summary>
public sealed class AuthOptions
{
    public const string Section = "Minsheng:Auth";

    /// <summary>The HMAC key, at least <see cref="MinimumKeyBytes"/> bytes of UTF-8; a secret, never in the repo. Unset or empty: the development key file.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The development key file used when no key is configured; by default <c>.minsheng/dev-signing-key</c> under the content root.</summary>
    public string? DevKeyFile { get; set; }

    public const int MinimumKeyBytes = 32;

    /// <summary>The settings as builder code reads them: the bearer handler and the sign-in link take the key before the host exists.</summary>
    public static AuthOptions ReadEarly(IHostApplicationBuilder builder) => builder.ReadEarly<AuthOptions, AuthOptionsRules>(Section);
}

/// <summary>The rules of <see cref="AuthOptions"/>.</summary>
public sealed class AuthOptionsRules : IValidateOptions<AuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AuthOptions options) => ValidatedOptions.Result(Errors(options));

    private static IEnumerable<string> Errors(AuthOptions options)
    {
        // The key itself is a secret: the message gives its length, never its text.
        if (options.SigningKey is { Length: > 0 } key && Encoding.UTF8.GetByteCount(key) is var bytes && bytes < AuthOptions.MinimumKeyBytes)
            yield return $"{AuthOptions.Section}:SigningKey must be at least {AuthOptions.MinimumKeyBytes} bytes long, not {bytes}";
        if (options.DevKeyFile is { Length: > 0 } file && Directory.Exists(file))
            yield return $"{AuthOptions.Section}:DevKeyFile must be a file, not the folder '{file}'";
    }
}
