using System.Text;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

public sealed class BadRequestTableProbeTmp
{
    private const string Plan = "/api/v1/plans/gongshu-2024";

    private static async Task<string> Send(HttpClient c, string method, string url, string? body, string ct = "application/json", bool chunked = false)
    {
        using var req = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            if (chunked)
            {
                req.Content = new StreamContent(new NonSeekable(Encoding.UTF8.GetBytes(body)));
                req.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ct);
            }
            else
            {
                req.Content = new StringContent(body, Encoding.UTF8);
                req.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(ct);
            }
        }
        using var res = await c.SendAsync(req);
        return $"{(int)res.StatusCode} {res.Content.Headers.ContentType} {await res.Content.ReadAsStringAsync()}";
    }

    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
    }

    [Fact]
    public async Task Probe()
    {
        var log = new StringBuilder();
        await using var host = new SiloHost().With("Minsheng:Clock:Mode", "Simulated");
        var st = host.As("street:shangtang");
        var wu = host.As("street:wulin");
        var office = host.As("office");
        log.AppendLine("A evidence null: " + await Send(st, "POST", Plan + "/reports", """{"reportId":"a1","taskId":"4.2","unitId":"shangtang","completed":1,"evidence":[null]}"""));
        log.AppendLine("G completed null: " + await Send(st, "POST", Plan + "/reports", """{"reportId":"g1","taskId":"4.2","unitId":"shangtang","completed":null}"""));
        log.AppendLine("D duplicate: " + await Send(st, "POST", Plan + "/reports", """{"reportId":"d1","taskId":"4.2","unitId":"shangtang","completed":1,"completed":2}"""));
        log.AppendLine("E jsonp: " + await Send(st, "POST", Plan + "/reports", """{"reportId":"e1","taskId":"4.2","unitId":"shangtang","completed":3}""", "application/jsonp"));
        log.AppendLine("F chunked: " + (await Send(st, "POST", Plan + "/reports", "{\"reportId\":\"f1\",\"taskId\":\"4.2\",\"unitId\":\"shangtang\",\"completed\":3,\"note\":\"" + new string('x', 70000) + "\"}", chunked: true))[..200]);
        log.AppendLine("H milestones null: " + await Send(st, "PUT", Plan + "/assignments/4.2/shangtang/schedule", """{"milestones":[null]}"""));
        log.AppendLine("C1 shangtang r-x: " + await Send(st, "POST", Plan + "/reports", """{"reportId":"shared-1","taskId":"4.2","unitId":"shangtang","completed":4}"""));
        log.AppendLine("C2 wulin r-x: " + await Send(wu, "POST", Plan + "/reports", """{"reportId":"shared-1","taskId":"4.2","unitId":"wulin","completed":4}"""));
        log.AppendLine("C3 wulin history: " + await Send(office, "GET", Plan + "/assignments/4.2/wulin/history", null));
        log.AppendLine("C4 wulin street: " + (await Send(office, "GET", Plan + "/streets/wulin", null))[..600]);
        log.AppendLine("C5 shangtang other task same id: " + await Send(st, "POST", Plan + "/reports", """{"reportId":"shared-1","taskId":"4.1","unitId":"shangtang","completed":1}"""));
        log.AppendLine("I case promised null text: " + await Send(office, "POST", Plan + "/cases", """{"taskId":"4.2","unitId":"wulin","reason":null}"""));
        log.AppendLine("J state empty: " + (await Send(office, "GET", Plan + "/cases?state=", null)));
        log.AppendLine("K deep: " + (await Send(st, "POST", Plan + "/reports", "{\"reportId\":\"k1\",\"taskId\":\"4.2\",\"unitId\":\"shangtang\",\"completed\":5,\"note\":" + new string('[', 100) + new string(']', 100) + "}")));
        log.AppendLine("L clock no offset: " + await Send(office, "POST", "/api/v1/admin/clock", """{"now":"2024-03-01T09:00:00"}"""));
        log.AppendLine("L2 clock: " + await Send(office, "GET", "/api/v1/admin/clock", null));
        await using var sys = new SiloHost();
        log.AppendLine("M system clock street: " + await Send(sys.As("street:shangtang"), "POST", "/api/v1/admin/clock", """{"now":"2030-03-01T09:00:00+08:00"}"""));
        log.AppendLine("M2 system clock viewer: " + await Send(sys.As("viewer"), "POST", "/api/v1/admin/clock", """{"now":"2030-03-01T09:00:00+08:00"}"""));
        File.WriteAllText("/tmp/probe/out.txt", log.ToString());
    }
}
