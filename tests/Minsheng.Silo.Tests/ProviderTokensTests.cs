using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Audit;
using Minsheng.Silo.Audit;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Tokens from a configured OpenID Connect provider (issue 21, item 3), against a real local provider publishing its
/// keys: mapped to roles and districts by configuration, the person's name and id in history and audit, the service's
/// own tokens working alongside, every bad token refused, and a key rotation followed.
/// </summary>
public sealed class ProviderTokensTests : IAsyncLifetime
{
    private const string Plan = "/api/v1/plans/gongshu-2024";
    private LocalOidcProvider _provider = null!;
    private SiloHost _host = null!;

    public async Task InitializeAsync()
    {
        _provider = await LocalOidcProvider.StartAsync();
        _host = new SiloHost();
        foreach (var (key, value) in _provider.Settings()) _host.With(key, value);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private HttpClient With(string token)
    {
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private string Clerk() => _provider.Issue([("sub", "u-1001"), ("name", "王芳"), ("groups", "gs-other"), ("groups", "gs-wulin-clerks")]);

    [Fact]
    public async Task A_clerk_of_the_provider_reports_as_the_mapped_street_and_history_and_audit_name_the_person()
    {
        var clerk = With(Clerk());
        var (status, body) = await clerk.PostJson($"{Plan}/reports", new { reportId = "oidc-1", taskId = "3.1", unitId = "wulin", completed = 2 });
        Assert.True(status == 201, body?.ToJsonString());

        var history = await clerk.GetOk($"{Plan}/assignments/3.1/wulin/history");
        var line = history.AsArray().Single(l => l!["reportId"]!.GetValue<string>() == "oidc-1")!;
        Assert.Equal("王芳 (u-1001)", line["person"]!.GetValue<string>());
        Assert.Equal("street:wulin", line["by"]!.GetValue<string>());

        // A refusal is audited with the person too.
        var (refused, _) = await clerk.PostJson($"{Plan}/reports", new { reportId = "oidc-2", taskId = "3.1", unitId = "hushu", completed = 1 });
        Assert.Equal(403, refused);
        var audit = (InMemoryAuditLog)_host.Services.GetRequiredService<IAuditLog>();
        Assert.Contains(audit.Entries, e => e.Outcome == AuditOutcome.Refused && e.Status == 403 && e.Person == "王芳 (u-1001)" && e.Actor == "street:wulin");

        // The service's own tokens work alongside the provider's.
        Assert.Equal(201, (await _host.As("street:hushu").PostJson($"{Plan}/reports", new { reportId = "own-1", taskId = "3.1", unitId = "hushu", completed = 1 })).Status);
        // A role claim as it is, and a group mapped to the office.
        Assert.Equal(200, (await With(_provider.Issue([("sub", "v-7"), ("minsheng_role", "viewer")])).GetJson($"{Plan}/rollup")).Status);
        Assert.Equal(201, (await With(_provider.Issue([("sub", "d-1"), ("groups", "gs-duchaban")])).PostJson($"{Plan}/reports",
            new { reportId = "oidc-office", taskId = "3.1", unitId = "hushu", completed = 2 })).Status);
    }

    [Fact]
    public async Task Under_sign_off_a_providers_reporter_files_and_its_reviewer_approves_and_history_names_both()
    {
        var seeds = Directory.CreateTempSubdirectory("minsheng-oidc-signoff-").FullName;
        try
        {
            var plan = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Seeds, "gongshu-2024.plan.json")))!.AsObject();
            plan["signOff"] = true;
            File.WriteAllText(Path.Combine(seeds, "gongshu-2024.plan.json"), plan.ToJsonString());
            await using var host = new SiloHost();
            foreach (var (key, value) in _provider.Settings()) host.With(key, value);
            host.With("Minsheng:Seeds", seeds)
                .With("Minsheng:Auth:Oidc:Roles:2:Claim", "groups").With("Minsheng:Auth:Oidc:Roles:2:Value", "gs-shangtang-leads")
                .With("Minsheng:Auth:Oidc:Roles:2:Role", "reviewer:shangtang").With("Minsheng:Auth:Oidc:Roles:2:District", "gongshu");
            HttpClient As(string token)
            {
                var client = host.CreateClient();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return client;
            }
            // The reporter's role comes as the provider's role claim, the reviewer's from a group mapped in configuration.
            var clerk = As(_provider.Issue([("sub", "u-2001"), ("name", "陈静"), ("minsheng_role", "reporter:shangtang"), ("district_code", "gongshu")]));
            var lead = As(_provider.Issue([("sub", "u-2002"), ("name", "周主任"), ("groups", "gs-shangtang-leads")]));

            var (filed, item) = await clerk.PostJson($"{Plan}/reports", new { reportId = "oidc-so-1", taskId = "3.1", unitId = "shangtang", completed = 4 });
            Assert.True(filed == 202, item?.ToJsonString());
            Assert.Equal("陈静 (u-2001)", item!["reporter"]!.GetValue<string>());
            var (approved, answer) = await lead.PostJson($"{Plan}/reports/oidc-so-1/approve", new { });
            Assert.True(approved == 201, answer?.ToJsonString());

            var line = (await lead.GetOk($"{Plan}/assignments/3.1/shangtang/history")).AsArray().Single()!;
            Assert.Equal(("reporter:shangtang", "陈静 (u-2001)"), (line["by"]!.GetValue<string>(), line["person"]!.GetValue<string>()));
            Assert.Equal(("reviewer:shangtang", "周主任 (u-2002)"), (line["signOff"]!["reviewerRole"]!.GetValue<string>(), line["signOff"]!["reviewer"]!.GetValue<string>()));
            var audit = (InMemoryAuditLog)host.Services.GetRequiredService<IAuditLog>();
            Assert.Contains(audit.Entries, e => e.Action == AuditAction.SignOffApprove && e.Person == "周主任 (u-2002)"
                && e.Detail!["reporter"]!.GetValue<string>() == "陈静 (u-2001)");
        }
        finally
        {
            Directory.Delete(seeds, recursive: true);
        }
    }

    [Fact]
    public async Task Bad_tokens_are_refused_with_a_problem_and_change_nothing()
    {
        var report = new { reportId = "bad-1", taskId = "3.1", unitId = "wulin", completed = 5 };
        var clerkClaims = new[] { ("sub", "u-1001"), ("groups", "gs-wulin-clerks") };
        var unauthenticated = new[]
        {
            _provider.Issue(clerkClaims, audience: "someone-else"),
            _provider.Issue(clerkClaims, lifetime: TimeSpan.FromMinutes(-5)),
            _provider.Issue(clerkClaims, key: LocalOidcProvider.Unpublished()),
        };
        foreach (var token in unauthenticated)
        {
            var (status, body) = await With(token).PostJson($"{Plan}/reports", report);
            Assert.Equal(401, status);
            Assert.Equal("Authorization", body!["field"]?.GetValue<string>() ?? body["errors"]?.AsObject().Single().Key);
        }
        // Valid, but the claims name no role here, or a unit role without its district.
        foreach (var claims in new[] { new[] { ("sub", "u-2"), ("groups", "gs-other") }, [("sub", "u-3"), ("minsheng_role", "street:wulin")] })
        {
            var (status, body) = await With(_provider.Issue(claims)).PostJson($"{Plan}/reports", report);
            Assert.Equal(403, status);
            Assert.Contains("角色", body!.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        }
        var history = await _host.As("viewer").GetOk($"{Plan}/assignments/3.1/wulin/history");
        Assert.DoesNotContain(history.AsArray(), l => l!["reportId"]!.GetValue<string>() == "bad-1");
    }

    [Fact]
    public async Task Keys_are_cached_and_a_rotation_is_followed_when_a_token_names_a_new_key()
    {
        for (var i = 0; i < 5; i++) Assert.Equal(200, (await With(Clerk()).GetJson($"{Plan}/rollup")).Status);
        Assert.Equal(1, _provider.KeyFetches); // fetched once, then cached

        var before = Clerk();
        _provider.Rotate(dropOld: true);
        var after = Clerk();
        // The first token naming the new key makes the handler fetch the keys again (at most once per KeyRefreshSeconds).
        var accepted = false;
        for (var attempt = 0; attempt < 40 && !accepted; attempt++)
        {
            accepted = (await With(after).GetJson($"{Plan}/rollup")).Status == 200;
            if (!accepted) await Task.Delay(250);
        }
        Assert.True(accepted, "a token signed with the rotated-in key was never accepted");
        Assert.True(_provider.KeyFetches >= 2);
        // The old key is no longer published: its tokens are refused once the keys were fetched again.
        Assert.Equal(401, (await With(before).GetJson($"{Plan}/rollup")).Status);
    }
}
