using System.Diagnostics;
using Minsheng.Silo.Tests.Infrastructure;

namespace Minsheng.Silo.Tests;

/// <summary>The compose file is valid for Debian's docker-compose and describes PostgreSQL, the migration and two silos.</summary>
public sealed class DeploymentFilesTests
{
    [Fact]
    public async Task Docker_compose_file_validates_offline()
    {
        var info = new ProcessStartInfo("docker-compose") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        info.ArgumentList.Add("-f");
        info.ArgumentList.Add("docker-compose.yml");
        info.ArgumentList.Add("config");
        info.Environment["MINSHENG_SIGNING_KEY"] = "a-test-signing-key-of-at-least-32-bytes";
        using var process = Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        foreach (var service in new[] { "postgres:", "migrate:", "silo1:", "silo2:" }) Assert.Contains(service, stdout);
        Assert.Contains("Minsheng__Storage: Postgres", stdout);
    }
}
