using System.CommandLine;
using Minsheng.Domain.Import;
using Minsheng.Domain.Plans;

namespace Minsheng.Cli;

/// <summary><c>import NOTICE DICTIONARY OUT</c>: turns an official notice into a plan file.</summary>
internal static class ImportCommand
{
    public const string Name = "import";

    public static Command Create()
    {
        var notice = new Argument<string>("NOTICE") { Description = "The official notice as text (e.g. seeds/gongshu-2024-minsheng-notice.txt)." };
        var dictionary = new Argument<string>("DICTIONARY") { Description = "The import dictionary (*.import.json) that reads it." };
        var output = new Argument<string>("OUT") { Description = "The plan file to write (*.plan.json)." };
        var command = new Command(Name,
            "Imports an official notice into a plan file, checking the notice against itself; warnings name where its " +
            "two attachments disagree.")
        {
            notice, dictionary, output,
        };
        command.SetAction((result, cancellationToken) => Run(result,
            CallerPath.Resolve(result.GetValue(notice)!), CallerPath.Resolve(result.GetValue(dictionary)!), CallerPath.Resolve(result.GetValue(output)!), cancellationToken));
        return command;
    }

    private static async Task<int> Run(ParseResult result, string notice, string dictionaryFile, string output, CancellationToken cancellationToken)
    {
        var (stdout, stderr) = (result.InvocationConfiguration.Output, result.InvocationConfiguration.Error);
        try
        {
            var dictionary = ImportDictionary.Parse(await File.ReadAllTextAsync(dictionaryFile, cancellationToken), Path.GetFileName(dictionaryFile));
            var imported = NoticeImporter.Import(await File.ReadAllTextAsync(notice, cancellationToken), dictionary);
            foreach (var warning in imported.Warnings) await stderr.WriteLineAsync($"warning: {warning}");
            await File.WriteAllTextAsync(output, PlanJson.Serialize(imported.Plan), cancellationToken);
            var plan = imported.Plan;
            await stdout.WriteLineAsync($"{plan.Id}: {plan.Projects.Count} projects, {plan.Tasks.Count} tasks, " +
                $"{plan.Tasks.Sum(t => t.Assignments.Count)} assignments -> {output}");
            return 0;
        }
        catch (Exception e) when (e is PlanFormatException or IOException or InvalidOperationException or FormatException)
        {
            await stderr.WriteLineAsync($"import failed: {e.Message}");
            return 1;
        }
    }
}
