using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Minsheng.Cli;

/// <summary>
/// The settings a command runs with: the same sources the service reads (appsettings.json in the working folder,
/// environment variables, then the command line's <c>--Key=Value</c> tokens after the command's own), so
/// <c>token</c> signs with the key the service checks and <c>migrate</c> reaches the database the service uses.
/// </summary>
internal sealed record CommandSettings(IConfiguration Configuration, string ContentRoot)
{
    /// <summary>
    /// A command's trailing <c>SETTINGS</c>: whatever follows its own arguments and options, in the configuration's
    /// command-line syntax (<c>--Minsheng:Seeds=...</c>).
    /// </summary>
    public static Argument<string[]> Argument() => new("SETTINGS")
    {
        Arity = ArgumentArity.ZeroOrMore,
        Description = "Settings as the service reads them, e.g. --Minsheng:Seeds=DIR or --Minsheng:Auth:SigningKey=KEY.",
    };

    public static CommandSettings From(IReadOnlyList<string> settings)
    {
        var builder = WebApplication.CreateSlimBuilder([.. settings]);
        return new CommandSettings(builder.Configuration, builder.Environment.ContentRootPath);
    }
}
