using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// The HMAC key tokens are signed with: <c>Minsheng:Auth:SigningKey</c> when configured (a secret, never in the repo);
/// otherwise a development key created once in a git-ignored file and shared by the host and the <c>token</c> command.
/// </summary>
public static class SigningKeys
{
    /// <summary>The key of a host being built, its settings read and checked once (<see cref="AuthOptions.ReadEarly"/>).</summary>
    public static byte[] Resolve(IHostApplicationBuilder builder) =>
        Resolve(AuthOptions.ReadEarly(builder), builder.Environment.ContentRootPath);

    /// <summary>The key of a command, its settings checked by the same rules as the host's.</summary>
    public static byte[] Resolve(IConfiguration configuration, string contentRoot) =>
        Resolve(ValidatedOptions.Read<AuthOptions, AuthOptionsRules>(configuration, AuthOptions.Section), contentRoot);

    /// <summary>The configured key (checked by <see cref="AuthOptionsRules"/>), or the development key.</summary>
    public static byte[] Resolve(AuthOptions options, string contentRoot)
    {
        if (options.SigningKey is { Length: > 0 } configured) return Encoding.UTF8.GetBytes(configured);
        var file = options.DevKeyFile is { Length: > 0 } set ? set : Path.Combine(contentRoot, ".minsheng", "dev-signing-key");
        return LoadOrCreateDevKey(file);
    }

    private static byte[] LoadOrCreateDevKey(string file)
    {
        if (File.Exists(file)) return Read(file);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var key = RandomNumberGenerator.GetBytes(64);
        try
        {
            using var stream = new FileStream(file, FileMode.CreateNew, FileAccess.Write);
            stream.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(key)));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return key;
        }
        catch (IOException) when (File.Exists(file))
        {
            // Another process created it first: use theirs so tokens agree.
            return Read(file);
        }
    }

    private static byte[] Read(string file)
    {
        try
        {
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }
        catch (FormatException e)
        {
            throw new InvalidOperationException(
                $"The development signing key file '{file}' ({AuthOptions.Section}:DevKeyFile) is not base64: delete it to have a new one made.", e);
        }
    }
}
