using System.CommandLine;
using Minsheng.Persistence;

namespace Minsheng.Cli;

/// <summary><c>migrate</c>: applies the PostgreSQL schema for the configured connection string; running it again changes nothing.</summary>
internal static class MigrateCommand
{
    public const string Name = "migrate";

    public static Command Create()
    {
        var settings = CommandSettings.Argument();
        settings.Description = "Settings as the service reads them: ConnectionStrings:Minsheng, e.g. " +
            "--ConnectionStrings:Minsheng=\"Host=...;Database=minsheng\" (or the ConnectionStrings__Minsheng variable).";
        var command = new Command(Name, "Applies the PostgreSQL schema to the service's database; running it again changes nothing.")
        {
            settings,
        };
        command.SetAction((result, cancellationToken) => Run(result, result.GetValue(settings) ?? [], cancellationToken));
        return command;
    }

    private static async Task<int> Run(ParseResult result, string[] configuration, CancellationToken cancellationToken)
    {
        var settings = CommandSettings.From(configuration);
        if (PostgresConnection.Find(settings.Configuration) is not { } connection)
        {
            await result.InvocationConfiguration.Error.WriteLineAsync(
                "migrate needs ConnectionStrings:Minsheng (e.g. --ConnectionStrings:Minsheng=\"Host=...;Database=minsheng\")");
            return MinshengCommandLine.UsageError;
        }
        var applied = await new SchemaMigrator().MigrateAsync(connection, cancellationToken);
        await result.InvocationConfiguration.Output.WriteLineAsync(applied.Count == 0 ? "schema is up to date" : $"applied: {string.Join(", ", applied)}");
        return 0;
    }
}
