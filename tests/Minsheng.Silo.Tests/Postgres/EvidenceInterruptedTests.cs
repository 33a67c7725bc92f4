using System.Net.Sockets;
using System.Text;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests.Postgres;

/// <summary>
/// An upload cut off mid-body leaves nothing behind, on a real silo process in PostgreSQL mode: the client sends the
/// headers and part of a file, then drops the connection. No link, no blob, no spooled file; the report takes a whole
/// upload afterwards. Uploads over the unit's byte budget are refused over HTTP and store nothing either.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class EvidenceInterruptedTests : IDisposable
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private readonly string _spool = Directory.CreateTempSubdirectory("minsheng-evidence-cut-").FullName;

    public void Dispose() => Directory.Delete(_spool, recursive: true);

    private static async Task<long> Count(string db, string table) => await TestPostgres.Scalar(db, $"SELECT count(*) FROM {table}");

    [Fact]
    public async Task A_cut_off_upload_leaves_nothing_and_a_unit_over_its_budget_is_refused()
    {
        var db = await TestPostgres.CreateDatabase();
        await using var silo = TestSilos.Process(db, new Dictionary<string, string>
        {
            ["Minsheng:Evidence:TempFolder"] = _spool,
            ["Minsheng:Evidence:MaxUnitBytes"] = "3000",
            ["Minsheng:Evidence:MaxFileBytes"] = "3000",
        });
        await silo.Start();
        using var street = silo.As("street:tianshui");
        Assert.Equal(201, (await street.PostJson($"{Plan}/reports", new { reportId = "cut-1", taskId = "3.1", unitId = "tianshui", completed = 1 })).Status);

        // Headers and the first 1,500 of 2,500 bytes of a part, then the connection is dropped.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", silo.HttpPort);
            var stream = tcp.GetStream();
            const string boundary = "cut-boundary";
            var head = $"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n";
            // Under the 3,000-byte file limit as declared: the server reads the part before it could refuse it.
            var request = $"POST {Plan}/reports/cut-1/evidence HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                $"Authorization: Bearer {SiloHost.Token("street:tianshui")}\r\n" +
                $"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {head.Length + 2_500 + 40}\r\n\r\n{head}";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
            await stream.WriteAsync(Encoding.ASCII.GetBytes("%PDF-1.4\n"));
            await stream.WriteAsync(new byte[1_500]);
            await stream.FlushAsync();
            await Task.Delay(500);
        }
        // The server notices the abort, and cleans up, within a few seconds.
        for (var i = 0; i < 50 && Directory.EnumerateFileSystemEntries(_spool).Any(); i++) await Task.Delay(100);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_spool));
        Assert.Equal(0, await Count(db, "minsheng_evidence_files"));
        Assert.Equal(0, await Count(db, "minsheng_evidence_blobs"));

        // A whole upload then works; one over the unit's 3,000 bytes is refused and stores nothing.
        var pdf = Minsheng.Testing.EvidenceSamples.Pdf();
        Assert.True(pdf.Length < 3000, $"{pdf.Length}");
        var form = new MultipartFormDataContent { { new ByteArrayContent(pdf), "files", "签到表.pdf" } };
        using (var ok = await street.PostAsync($"{Plan}/reports/cut-1/evidence", form)) Assert.Equal(201, (int)ok.StatusCode);
        var big = new MultipartFormDataContent { { new ByteArrayContent(Minsheng.Testing.EvidenceSamples.Pdf(new string(' ', 2900 - pdf.Length))), "files", "大文件.pdf" } };
        using (var refused = await street.PostAsync($"{Plan}/reports/cut-1/evidence", big))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.True((int)refused.StatusCode == 422, body); // under the file limit, over what the unit has left
            var problem = System.Text.Json.Nodes.JsonNode.Parse(body)!;
            Assert.Equal("files", problem["field"].Str()); // the upload as a whole: every file of it is named
            Assert.Contains("大文件.pdf", problem["reason"].Str());
        }
        Assert.Equal(1, await Count(db, "minsheng_evidence_files"));
        Assert.Equal(1, await Count(db, "minsheng_evidence_blobs"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_spool));
    }
}
