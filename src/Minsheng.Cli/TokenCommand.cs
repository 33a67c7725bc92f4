using System.CommandLine;
using System.CommandLine.Parsing;
using Minsheng.Domain.Limits;
using Minsheng.Hosting;
using Minsheng.Hosting.Auth;

namespace Minsheng.Cli;

/// <summary>
/// <c>token ROLE [--district ID] [--days N] [--name PERSON]</c>: prints a bearer token signed with the service's key.
/// The role's street or department must be one of the loaded plans' units, in its district: a unit token counts only in
/// its district's plans, so <c>--district</c> is required unless exactly one loaded district has that unit (then it is
/// filled in); a region role's region must be one a loaded plan names. The person (<c>sub</c>) is who history and audit
/// lines name beside the role.
/// </summary>
internal static class TokenCommand
{
    public const string Name = "token";
    private const int MaxDays = 3660;
    private const int MaxNameLength = 64;
    private const string Roles = "office | viewer | department:{id} | street:{id} | reporter:{unitId} | reviewer:{unitId} | region-viewer:{regionId} | region-office:{regionId}";
    private const string Usage = "usage: token ROLE [--district ID] [--days N] [--name PERSON]";

    public static Command Create()
    {
        var role = new Argument<string>("ROLE") { Description = $"Who the token is for: {Roles}." };
        var days = new Option<int>("--days")
        {
            Description = $"Days the token stays valid, 1 to {MaxDays}.",
            HelpName = "N",
            DefaultValueFactory = _ => 30,
            CustomParser = ParseDays,
        };
        var name = new Option<string?>("--name")
        {
            Description = $"The person the token names (at most {MaxNameLength} characters, one line); by default the role.",
            HelpName = "PERSON",
            CustomParser = ParseName,
        };
        var district = new Option<string?>("--district")
        {
            Description = "The district of a street or department role (a plan file's district id; by default the one district of the loaded plans that has the unit). Not for other roles.",
            HelpName = "ID",
        };
        var settings = CommandSettings.Argument();
        var command = new Command(Name, "Prints a bearer token signed with the service's key (the one the service checks).")
        {
            role, settings, district, days, name,
        };
        command.SetAction(result => Run(result, result.GetValue(role)!, result.GetValue(district), result.GetValue(days), result.GetValue(name),
            result.GetValue(settings) ?? []));
        return command;
    }

    private static int Run(ParseResult result, string role, string? district, int days, string? person, string[] configuration)
    {
        var settings = CommandSettings.From(configuration);
        var catalog = PlanSeeds.Load(settings.Configuration, settings.ContentRoot);
        var (resolved, problem) = District(role, district, catalog);
        if ((problem ?? Caller.Refusal(role, catalog, resolved)) is { } refusal)
        {
            result.InvocationConfiguration.Error.WriteLine($"token: {refusal}");
            result.InvocationConfiguration.Error.WriteLine($"{Usage}   (ROLE: {Roles})");
            return MinshengCommandLine.UsageError;
        }
        var key = SigningKeys.Resolve(settings.Configuration, settings.ContentRoot);
        result.InvocationConfiguration.Output.WriteLine(TokenIssuer.Issue(key, role, TimeSpan.FromDays(days), DateTimeOffset.UtcNow, person, resolved));
        return 0;
    }

    /// <summary>
    /// The district a unit token names: the one given, or the only loaded district whose plans have the unit. Several
    /// such districts (or none) and no <c>--district</c> is refused: guessing would hand one district's street the
    /// pen of another's. Other roles are service-wide or regional and take no district.
    /// </summary>
    private static (string? District, string? Problem) District(string role, string? district, Minsheng.Domain.Plans.PlanCatalog catalog)
    {
        if (!Caller.IsUnitRole(role, out var unitId, out var department))
            return district is null ? (null, null) : (null, $"--district 只用于单位角色（street:…、department:…、reporter:…、reviewer:…），角色“{role}”不属于某个区县");
        if (district is not null) return (district, null);
        var districts = department is { } d ? catalog.DistrictsWithUnit(unitId, d)
            : catalog.DistrictsWithUnit(unitId, false).Union(catalog.DistrictsWithUnit(unitId, true)).Order(StringComparer.Ordinal).ToList();
        return districts.Count switch
        {
            1 => (districts[0], null),
            0 => (null, $"角色“{role}”所指的单位不在任何计划中"),
            _ => (null, $"单位“{unitId}”在多个区县的计划中（{string.Join("、", districts)}），请用 --district 指明区县"),
        };
    }

    private static int ParseDays(ArgumentResult result)
    {
        if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, out var days) && days is > 0 and <= MaxDays) return days;
        result.AddError($"--days takes a whole number from 1 to {MaxDays}");
        return 0;
    }

    /// <summary>A name is one line of text: tab, CR, LF and every other control character would forge history and audit lines.</summary>
    private static string? ParseName(ArgumentResult result)
    {
        var value = result.Tokens.Count == 1 ? result.Tokens[0].Value : null;
        if (!string.IsNullOrWhiteSpace(value) && value.Length <= MaxNameLength && TextRules.FirstForbidden(value, freeText: false) < 0) return value;
        result.AddError($"--name takes a person's name of at most {MaxNameLength} characters, without control characters");
        return null;
    }
}
