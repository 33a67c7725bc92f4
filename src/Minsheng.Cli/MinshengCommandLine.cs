using System.CommandLine;
using System.CommandLine.Help;

namespace Minsheng.Cli;

/// <summary>
/// The silo's one-shot commands: <c>token</c>, <c>import</c>, <c>migrate</c> and <c>generate</c>, and <c>--help</c> listing them. Any
/// other command line starts the service, so the entry point asks here first.
/// </summary>
public static class MinshengCommandLine
{
    /// <summary>A refused command line or a refused value: the shell's convention for wrong usage.</summary>
    public const int UsageError = 2;

    private static readonly string[] HelpTokens = ["--help", "-h", "-?", "/?", "/h"];

    /// <summary>True when the arguments name a command (or ask for help) rather than settings for the service.</summary>
    public static bool IsCommand(IReadOnlyList<string> args) =>
        args.Count > 0 && (args[0] is TokenCommand.Name or ImportCommand.Name or MigrateCommand.Name or GenerateCommand.Name || HelpTokens.Contains(args[0]));

    /// <summary>Runs the command the arguments name and returns its exit code, or null when they start the service.</summary>
    public static async Task<int?> TryRunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        if (!IsCommand(args)) return null;
        var invocation = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        // Not System.CommandLine's response files: "@name" is an ordinary value here (a person's name may start with @).
        var result = Build().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0 && result.Action is not HelpAction and not EveryCommandHelp)
        {
            foreach (var e in result.Errors) invocation.Error.WriteLine(e.Message);
            invocation.Error.WriteLine($"See '{result.CommandResult.Command.Name} --help'.");
            return UsageError;
        }
        return await result.InvokeAsync(invocation);
    }

    /// <summary>The command tree; help on the root lists every command with its arguments and options.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "The Minsheng silo. Without a command it starts the service; settings go as --Key=Value (e.g. --Minsheng:Storage=Postgres " +
            "--ConnectionStrings:Minsheng=...), and --demo plays a simulated year.")
        {
            TokenCommand.Create(),
            ImportCommand.Create(),
            MigrateCommand.Create(),
            GenerateCommand.Create(),
        };
        // --version would start the service (only commands and help are run here), so help does not offer it.
        root.Options.Remove(root.Options.OfType<VersionOption>().Single());
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new EveryCommandHelp(root, (HelpAction)help.Action!);
        return root;
    }
}
