using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Minsheng.Testing;

/// <summary>
/// A real nginx (Debian's) in front of silo processes, running the repository's own proxy configuration
/// (<c>deploy/nginx/nginx.conf</c>) with only what names the compose network changed: the upstream servers become the
/// silos' loopback HTTP ports, it listens on a free loopback port, and its pid and temporary files live in a directory of
/// its own. Everything else (SSE unbuffered, retries on the next silo, forwarded headers, timeouts) is what ships.
/// </summary>
public sealed partial class NginxProxy : IAsyncDisposable
{
    private readonly string _directory;
    private readonly StringBuilder _log = new();
    private Process? _process;
    private int _disposed;

    private NginxProxy(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    /// <summary>The port the proxy listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The one address of the cluster.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/");

    /// <summary>What nginx wrote to standard error (its error log).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>The nginx binary: Debian's under /usr/sbin, else the one on PATH.</summary>
    public static string Binary => File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : "nginx";

    /// <summary>Writes the configuration for <paramref name="siloHttpPorts"/>, checks it with <c>nginx -t</c> and starts nginx in the foreground.</summary>
    public static async Task<NginxProxy> StartAsync(IReadOnlyList<int> siloHttpPorts)
    {
        var directory = Directory.CreateTempSubdirectory("minsheng-nginx-").FullName;
        // Workers may run as another user (nginx started as root drops to nobody): they write their temporary files here.
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(directory, (UnixFileMode)0b111_111_111);
        var proxy = new NginxProxy(directory, Ports.Free());
        var config = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(config, Configure(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "deploy", "nginx", "nginx.conf")),
            siloHttpPorts, proxy.Port, directory));
        try
        {
            await proxy.Start(config);
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
        return proxy;
    }

    /// <summary>The shipped configuration with the compose network's names replaced by loopback ports and this directory.</summary>
    public static string Configure(string shipped, IReadOnlyList<int> siloHttpPorts, int listenPort, string directory)
    {
        var servers = ServerLine().Matches(shipped);
        if (servers.Count == 0) throw new InvalidOperationException("deploy/nginx/nginx.conf names no upstream server siloN:8080");
        var first = servers[0];
        var indent = first.Groups["indent"].Value;
        var options = first.Groups["options"].Value;
        var upstream = string.Join("\n", siloHttpPorts.Select(p => $"{indent}server 127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}{options};"));
        var text = ServerLine().Replace(shipped, m => m.Index == first.Index ? upstream + "\n" : "");
        text = Replace(text, ListenLine(), $"listen 127.0.0.1:{listenPort.ToString(CultureInfo.InvariantCulture)};");
        text = Replace(text, PidLine(), $"pid {directory}/nginx.pid;");
        text = Replace(text, AccessLogLine(), "access_log off;");
        var temp = string.Join("\n", new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" }
            .Select(kind => $"    {kind}_temp_path {directory}/{kind};"));
        return Replace(text, HttpOpen(), "http {\n" + temp);
    }

    private static string Replace(string text, Regex pattern, string replacement)
    {
        if (!pattern.IsMatch(text)) throw new InvalidOperationException($"deploy/nginx/nginx.conf has no line matching {pattern}");
        return pattern.Replace(text, replacement, 1);
    }

    private async Task Start(string config)
    {
        var (exit, output) = await Run(Binary, "-t", "-p", _directory, "-c", config);
        if (exit != 0) throw new InvalidOperationException($"nginx -t refused the configuration:\n{output}");
        var info = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", _directory, "-c", config, "-g", "daemon off;" }) info.ArgumentList.Add(arg);
        _process = Process.Start(info) ?? throw new InvalidOperationException("nginx did not start");
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        var process = _process;
        await Poll.Until(() =>
        {
            if (process.HasExited) throw new InvalidOperationException($"nginx exited with {process.ExitCode}:\n{Log}");
            try
            {
                using var client = new System.Net.Sockets.TcpClient();
                client.Connect(System.Net.IPAddress.Loopback, Port);
                return Task.FromResult(true);
            }
            catch (System.Net.Sockets.SocketException) { return Task.FromResult(false); }
        }, up => up, $"nginx to listen on {Port}", TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(50));
    }

    private static async Task<(int Exit, string Output)> Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Stops nginx (SIGQUIT: finishes open requests, then exits; SIGKILL after 10 s) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_process is { HasExited: false } process)
        {
            using (var quit = Process.Start("kill", ["-QUIT", process.Id.ToString(CultureInfo.InvariantCulture)])) await quit.WaitForExitAsync();
            try { await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { process.Kill(entireProcessTree: true); }
        }
        _process?.Dispose();
        try { Directory.Delete(_directory, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { await Console.Error.WriteLineAsync($"Could not delete {_directory}: {e.Message}"); }
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    [GeneratedRegex(@"(?<indent>[ \t]*)server\s+silo\d+:8080(?<options>[^;]*);[ \t]*\n?")]
    private static partial Regex ServerLine();

    [GeneratedRegex(@"listen\s+8080\s*;")]
    private static partial Regex ListenLine();

    [GeneratedRegex(@"pid\s+[^;]+;")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"access_log\s+[^;]+;")]
    private static partial Regex AccessLogLine();

    [GeneratedRegex(@"http\s*\{")]
    private static partial Regex HttpOpen();
}
