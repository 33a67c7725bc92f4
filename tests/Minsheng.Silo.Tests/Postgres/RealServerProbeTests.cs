using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// Probes that need the real server and its real HTTP parser (Kestrel, not the in-process test server), in both
/// storage modes: framing the server cannot read is a 400 problem, not a 500 with a stack trace, and changes nothing.
/// </summary>
public sealed class RealServerProbeTests
{
    private const string Reports = "/api/v1/plans/gongshu-2024/reports";

    public static TheoryData<string> Modes => ["Memory", "Postgres"];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Unreadable_framing_is_a_400_problem_and_records_nothing(string mode)
    {
        var connection = mode == "Postgres" ? await TestPostgres.CreateDatabase() : "unused";
        await using var silo = TestSilos.Process(connection, new Dictionary<string, string> { ["Minsheng:Storage"] = mode });
        await silo.Start();
        var token = SiloHost.Token("street:shangtang");
        var body = """{"reportId":"frame-1","taskId":"4.2","unitId":"shangtang","completed":5}""";

        // A body shorter than its Content-Length: the client sends 20 bytes of 120 and then nothing (Kestrel's minimum
        // body data rate ends the wait after its 5 s grace period).
        var shortBody = await Raw(silo, $"POST {Reports} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: 120\r\n\r\n{body[..20]}");
        AssertProblem400(shortBody);

        // A chunk size that overflows.
        var overflow = await Raw(silo, $"POST {Reports} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n" +
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n{\"a\":1}\r\n0\r\n\r\n");
        AssertProblem400(overflow);

        using var office = silo.As("office");
        var history = await office.GetOk("/api/v1/plans/gongshu-2024/assignments/4.2/shangtang/history");
        Assert.Empty(history.AsArray());
        Assert.DoesNotContain("Unhandled exception", silo.Log);
        Assert.DoesNotContain("   at ", silo.Log);
    }

    [Fact]
    public async Task The_token_command_refuses_roles_that_name_no_unit_and_names_the_person()
    {
        Assert.Equal(2, (await Cli("token", "street:district")).ExitCode);
        Assert.Equal(2, (await Cli("token", "street:nowhere")).ExitCode);
        Assert.Equal(2, (await Cli("token", "department:police")).ExitCode);
        Assert.Equal(2, (await Cli("token", "mayor")).ExitCode);
        // A name is one line of text: tab, CR and LF (which would forge history and audit lines) are refused like NUL.
        // NUL itself cannot reach a process (the kernel ends an argument there, so "张\0三" arrives as "张"):
        // CommandLineTests refuses it in-process.
        foreach (var name in new[] { "张\t三", "张三\r", "张\n三", "张\u0085三" })
        {
            var (refused, message) = await Cli("token", "street:tianshui", "--name", name);
            Assert.Equal(2, refused);
            Assert.Contains("--name", message);
        }

        var (exit, output) = await Cli("token", "street:tianshui", "--name", "张三", "--days", "1");
        Assert.Equal(0, exit);
        var jwt = new JsonWebToken(output.Trim());
        Assert.Equal("street:tianshui", jwt.GetClaim("role").Value);
        Assert.Equal("张三", jwt.Subject);
        // One loaded district has tianshui: the token names it without being told.
        Assert.Equal("gongshu", jwt.GetClaim("district").Value);
    }

    private static void AssertProblem400(string answer)
    {
        var status = answer.Split(' ', 3)[1];
        Assert.True(status == "400", $"expected 400:\n{answer}");
        Assert.Contains("application/problem+json", answer);
        Assert.Contains("X-Content-Type-Options: nosniff", answer);
        var json = answer[answer.IndexOf('{')..answer.LastIndexOf('}')] + "}";
        var problem = JsonNode.Parse(json)!;
        Assert.Equal("body", problem["field"]!.GetValue<string>());
        Assert.Equal("请求无效", problem["title"]!.GetValue<string>());
    }

    /// <summary>
    /// Sends raw bytes and reads the answer until the server closes the connection. The sending side stays open, as
    /// a stalled client's would (a half-close reads as the client going away, which is no request to answer).
    /// </summary>
    private static async Task<string> Raw(SiloProcess silo, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", silo.HttpPort);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync(timeout.Token);
    }

    private static Task<(int ExitCode, string Output)> Cli(params string[] args) => SiloCommand.Run(args);
}
