using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Minsheng.Hosting.Auth;

/// <summary>
/// The HMAC key tokens are signed with: <c>Minsheng:Auth:SigningKey</c> when configured (a secret, never in the repo);
/// otherwise a development key created once in a git-ignored file and shared by the host and the <c>token</c> command.
/// </summary>
public static class SigningKeys
{
    public const string ConfigKey = "Minsheng:Auth:SigningKey";
    public const string DevKeyFileConfigKey = "Minsheng:Auth:DevKeyFile";
    private const int MinimumBytes = 32;

    public static byte[] Resolve(IConfiguration configuration, string contentRoot)
    {
        if (configuration[ConfigKey] is { Length: > 0 } configured)
        {
            var bytes = Encoding.UTF8.GetBytes(configured);
            if (bytes.Length < MinimumBytes)
                throw new InvalidOperationException($"{ConfigKey} must be at least {MinimumBytes} bytes long.");
            return bytes;
        }
        var file = configuration[DevKeyFileConfigKey] ?? Path.Combine(contentRoot, ".minsheng", "dev-signing-key");
        return LoadOrCreateDevKey(file);
    }

    private static byte[] LoadOrCreateDevKey(string file)
    {
        if (File.Exists(file)) return Convert.FromBase64String(File.ReadAllText(file).Trim());
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
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
            return Convert.FromBase64String(File.ReadAllText(file).Trim());
        }
    }
}
