using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Minsheng.Cli;

/// <summary>
/// Help that, asked of the root, goes on with each command's own help: System.CommandLine's root help names the
/// commands but not their options, and a reader of <c>--help</c> should not have to ask three more times.
/// </summary>
internal sealed class EveryCommandHelp(RootCommand root, HelpAction standard) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        standard.Invoke(parseResult);
        if (parseResult.CommandResult.Command != root) return 0;
        foreach (var command in root.Subcommands)
        {
            parseResult.InvocationConfiguration.Output.WriteLine();
            // Parsed afresh and invoked with this invocation's writers: this action again, now for the command.
            root.Parse([command.Name, "--help"]).Invoke(parseResult.InvocationConfiguration);
        }
        return 0;
    }
}
