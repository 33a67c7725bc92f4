using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// The viewer sign-in link carries a token: a real process with OTLP export on prints it to its console, and nothing it
/// ships to the collector (logs, traces, metrics, as OTLP http/protobuf to a listener this test runs) holds the token,
/// while the log does say a link was printed.
/// </summary>
public sealed partial class SignInLinkLoggingTests
{
    [Fact]
    public async Task The_link_goes_to_the_console_and_never_to_the_exported_logs()
    {
        using var collector = new OtlpCollector();
        await using var silo = TestSilos.Process("", new Dictionary<string, string>
        {
            ["Minsheng:Storage"] = "Memory",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Logging:LogLevel:Minsheng"] = "Information",
        });
        await silo.Start();

        var link = await Poll.Until(() => Task.FromResult(LinkLine().Match(silo.Log)), m => m.Success, "the sign-in link on the console");
        Assert.True(link.Success, $"no sign-in link on the console:\n{silo.Log}");
        var token = Uri.UnescapeDataString(link.Groups["token"].Value);
        Assert.Equal(3, token.Split('.').Length);

        // The log line that replaces it reaches the collector; wait for it, so the check below saw the exported logs.
        var exported = await Poll.Until(() => Task.FromResult(collector.Received()), bodies => bodies.Any(b => b.Contains("Printed a viewer sign-in link")), "the collector to receive the sign-in log line", TimeSpan.FromSeconds(30));
        Assert.Contains(exported, b => b.StartsWith("/v1/logs", StringComparison.Ordinal) && b.Contains("Printed a viewer sign-in link"));
        foreach (var body in collector.Received())
        {
            Assert.DoesNotContain(token, body);
            Assert.DoesNotContain(token.Split('.')[2], body);
            Assert.DoesNotContain("token=", body);
        }
    }

    [GeneratedRegex(@"signed in as viewer for 12 h: http://\S+/\?token=(?<token>\S+)")]
    private static partial Regex LinkLine();

    /// <summary>A bare OTLP/HTTP receiver: keeps every request body (protobuf, whose strings are UTF-8 as they are).</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<string> _bodies = new();
        private readonly Task _loop;

        public OtlpCollector()
        {
            var port = Ports.Free();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _loop = Task.Run(Loop);
        }

        public string Address { get; }

        public IReadOnlyList<string> Received() { lock (_bodies) return _bodies.ToList(); }

        private async Task Loop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                using var buffer = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(buffer);
                lock (_bodies) _bodies.Add(context.Request.Url?.AbsolutePath + "\n" + Encoding.UTF8.GetString(buffer.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            if (!_loop.Wait(TimeSpan.FromSeconds(5))) Debug.WriteLine("OTLP collector loop did not stop");
        }
    }
}
