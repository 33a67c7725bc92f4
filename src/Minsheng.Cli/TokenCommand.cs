using System.CommandLine;
using System.CommandLine.Parsing;
using Minsheng.Domain.Limits;
using Minsheng.Hosting;
using Minsheng.Hosting.Auth;

namespace Minsheng.Cli;

/// <summary>
/// <c>token ROLE [--days N] [--name PERSON]</c>: prints a bearer token signed with the service's key. The role's street
/// or department must be one of the loaded plans' units; the person (<c>sub</c>) is who history and audit lines name
/// beside the role.
/// </summary>
internal static class TokenCommand
{
    public const string Name = "token";
    private const int MaxDays = 3660;
    private const int MaxNameLength = 64;
    private const string Roles = "office | viewer | department:{id} | street:{id}";

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
        var settings = CommandSettings.Argument();
        var command = new Command(Name, "Prints a bearer token signed with the service's key (the one the service checks).")
        {
            role, settings, days, name,
        };
        command.SetAction(result => Run(result, result.GetValue(role)!, result.GetValue(days), result.GetValue(name), result.GetValue(settings) ?? []));
        return command;
    }

    private static int Run(ParseResult result, string role, int days, string? person, string[] configuration)
    {
        var settings = CommandSettings.From(configuration);
        var catalog = PlanSeeds.Load(settings.Configuration, settings.ContentRoot);
        if (Caller.Refusal(role, catalog) is { } refusal)
        {
            result.InvocationConfiguration.Error.WriteLine($"token: {refusal}");
            result.InvocationConfiguration.Error.WriteLine($"usage: token ROLE [--days N] [--name PERSON]   (ROLE: {Roles})");
            return MinshengCommandLine.UsageError;
        }
        var key = SigningKeys.Resolve(settings.Configuration, settings.ContentRoot);
        result.InvocationConfiguration.Output.WriteLine(TokenIssuer.Issue(key, role, TimeSpan.FromDays(days), DateTimeOffset.UtcNow, person));
        return 0;
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
