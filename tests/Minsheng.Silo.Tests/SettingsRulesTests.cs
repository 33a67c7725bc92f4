using Minsheng.Cli;
using Minsheng.Demo;
using Minsheng.Hosting;
using Minsheng.Hosting.Auth;
using Minsheng.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The rules of the settings read before the host exists, without a host: defaults pass, each broken rule names its key.</summary>
public sealed class SettingsRulesTests
{
    [Fact]
    public void The_defaults_keep_every_rule()
    {
        Assert.True(new MinshengClusterOptionsRules().Validate(null, new MinshengClusterOptions()).Succeeded);
        Assert.True(new AuthOptionsRules().Validate(null, new AuthOptions()).Succeeded);
        Assert.True(new DemoOptionsRules().Validate(null, new DemoOptions()).Succeeded);
        Assert.True(new MinshengOptionsRules().Validate(null, new MinshengOptions()).Succeeded);
        Assert.True(new ClockOptionsRules().Validate(null, new ClockOptions()).Succeeded);
    }

    [Fact]
    public void The_gateway_and_the_silo_need_ports_of_their_own()
    {
        var result = new MinshengClusterOptionsRules().Validate(null, new MinshengClusterOptions { SiloPort = 11111, GatewayPort = 11111 });
        Assert.Equal(["Minsheng:Cluster:GatewayPort must differ from SiloPort (11111)"], result.Failures);
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    public void An_advertised_ip_address_of_either_family_is_kept(string ip) =>
        Assert.True(new MinshengClusterOptionsRules().Validate(null, new MinshengClusterOptions { AdvertisedIp = ip }).Succeeded);

    [Fact]
    public void A_short_signing_key_is_refused_without_showing_it()
    {
        const string key = "not-long-enough-密钥";
        var result = new AuthOptionsRules().Validate(null, new AuthOptions { SigningKey = key });
        var failure = Assert.Single(result.Failures!);
        Assert.StartsWith("Minsheng:Auth:SigningKey must be at least 32 bytes long, not 22", failure);
        Assert.DoesNotContain(key, failure);
    }

    [Fact]
    public void A_key_of_32_bytes_is_enough() =>
        Assert.True(new AuthOptionsRules().Validate(null, new AuthOptions { SigningKey = new string('k', 32) }).Succeeded);

    [Fact]
    public void The_demo_shares_are_checked_one_by_one_and_together()
    {
        var options = new DemoOptions { Mix = { Ahead = 0.5, Lagging = 0.5, Late = 0.2, Cohesion = 2 } };
        var result = new DemoOptionsRules().Validate(null, options);
        Assert.Equal(
        [
            "Minsheng:Demo:Mix:Cohesion must be a share from 0 to 1, not 2",
            "Minsheng:Demo:Mix:Ahead, Lagging and Late must add up to at most 1, not 1.2",
        ], result.Failures);
    }

    [Fact]
    public void A_blank_seeds_setting_means_the_nearest_seeds_folder()
    {
        var options = new MinshengOptions { Seeds = "  " };
        Assert.True(new MinshengOptionsRules().Validate(null, options).Succeeded);
        Assert.Null(options.SeedsFolder);
    }

    [Fact]
    public void A_command_reads_the_settings_by_the_same_rules()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Minsheng:Seeds"] = Path.Combine(RepoPaths.Root, "no-such-folder"),
        }).Build();
        var failure = Assert.Throws<OptionsValidationException>(() => PlanSeeds.Load(configuration, RepoPaths.Root));
        Assert.Contains("Minsheng:Seeds must be a folder of *.plan.json files", failure.Message);
    }

    [Fact]
    public async Task The_token_command_stops_on_a_wrong_setting_naming_the_key()
    {
        var error = new StringWriter();
        var exit = await MinshengCommandLine.TryRunAsync(["token", "office", "--Minsheng:Seeds=/nonexistent/minsheng-seeds"], TextWriter.Null, error);
        Assert.NotEqual(0, exit);
        Assert.Contains("Minsheng:Seeds must be a folder of *.plan.json files; '/nonexistent/minsheng-seeds' does not exist", error.ToString());
    }
}
