using System.Security.Cryptography;
using Minsheng.Grains.Evidence;

namespace Minsheng.Grains.Tests;

/// <summary>
/// The contract every evidence store keeps (in memory here, PostgreSQL in Minsheng.Persistence.Tests): an upload's
/// files are linked all or none, limits are checked in the same write (also against concurrent uploads), a content is
/// stored once however often it is linked, contents and thumbnails read back byte for byte.
/// </summary>
public abstract class EvidenceStoreContract
{
    protected abstract IEvidenceStore Store { get; }

    /// <summary>How many distinct contents are stored.</summary>
    protected abstract Task<int> BlobCount();

    private static readonly DateTimeOffset At = new(2024, 5, 6, 9, 0, 0, TimeSpan.FromHours(8));

    protected static NewEvidenceFile File(byte[] content, string name = "a.jpg", byte[]? thumbnail = null) =>
        new(Guid.NewGuid().ToString("N"), name, "image/jpeg", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)),
            () => new MemoryStream(content), thumbnail);

    protected static EvidenceUpload Upload(string plan, string report, string unit, IReadOnlyList<NewEvidenceFile> files, int maxFiles = 20, long maxUnitBytes = 1 << 20) =>
        new(plan, report, "3.1", unit, At, $"street:{unit}", "张三", files, maxFiles, maxUnitBytes);

    private static async Task<byte[]> ReadAll(Stream? stream)
    {
        Assert.NotNull(stream);
        await using (stream)
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }

    [Fact]
    public async Task An_upload_is_listed_in_order_and_read_back_byte_for_byte()
    {
        var (a, b) = (RandomNumberGenerator.GetBytes(70_000), RandomNumberGenerator.GetBytes(10));
        var result = await Store.Add(Upload("e1", "r1", "tianshui", [File(a, "现场1.jpg", [1, 2, 3]), File(b, "说明.pdf")]));
        Assert.Equal(EvidenceAddStatus.Added, result.Status);
        var listed = await Store.List("e1", "r1");
        Assert.Equal(["现场1.jpg", "说明.pdf"], listed.Select(f => f.Name));
        Assert.Equal(result.Files, listed);
        Assert.Equal(At, listed[0].UploadedAt);
        Assert.Equal(("street:tianshui", "张三", "3.1", "tianshui"), (listed[0].Role, listed[0].Person, listed[0].TaskId, listed[0].UnitId));
        Assert.Equal(a, await ReadAll(await Store.OpenContent(listed[0].Sha256)));
        Assert.Equal([1, 2, 3], await ReadAll(await Store.OpenThumbnail(listed[0].Sha256)));
        Assert.Null(await Store.OpenThumbnail(listed[1].Sha256));
        Assert.Null(await Store.OpenContent(new string('0', 64)));
        Assert.Equal(listed[1], await Store.Find("e1", "r1", listed[1].FileId));
        Assert.Null(await Store.Find("e1", "r2", listed[1].FileId));
        Assert.Empty(await Store.List("e1", "r2"));
        Assert.Equal(70_010, await Store.UnitBytes("e1", "tianshui"));
    }

    [Fact]
    public async Task A_content_sent_twice_is_stored_once_and_linked_twice()
    {
        var content = RandomNumberGenerator.GetBytes(5_000);
        var before = await BlobCount();
        await Store.Add(Upload("e2", "r1", "tianshui", [File(content, "a.jpg")]));
        await Store.Add(Upload("e2", "r2", "tianshui", [File(content, "b.jpg")]));
        Assert.Equal(before + 1, await BlobCount());
        var both = await Store.ListFor("e2", ["r1", "r2", "r3"]);
        Assert.Equal(["a.jpg", "b.jpg"], both.Select(f => f.Name));
        Assert.Single(both.Select(f => f.Sha256).Distinct());
    }

    [Fact]
    public async Task Limits_refuse_the_whole_upload_and_write_nothing()
    {
        var first = await Store.Add(Upload("e3", "r1", "wulin", [File([1]), File([2])], maxFiles: 3));
        Assert.Equal(EvidenceAddStatus.Added, first.Status);
        var before = await BlobCount();
        var tooMany = await Store.Add(Upload("e3", "r1", "wulin", [File([3]), File([4])], maxFiles: 3));
        Assert.Equal((EvidenceAddStatus.TooManyFiles, 2), (tooMany.Status, tooMany.ReportFiles));
        var full = await Store.Add(Upload("e3", "r2", "wulin", [File(new byte[9])], maxUnitBytes: 10));
        Assert.Equal((EvidenceAddStatus.UnitFull, 2L), (full.Status, full.UnitBytes));
        Assert.Equal(2, (await Store.List("e3", "r1")).Count);
        Assert.Empty(await Store.List("e3", "r2"));
        Assert.Equal(before, await BlobCount());
    }

    [Fact]
    public async Task Concurrent_uploads_cannot_pass_a_limit_together()
    {
        // Ten uploads of one file each race for a report that may hold four: exactly four win.
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Task.Run(() => Store.Add(Upload("e4", "r1", "gongchen", [File([(byte)i, 1, 2])], maxFiles: 4)))));
        Assert.Equal(4, results.Count(r => r.Status == EvidenceAddStatus.Added));
        Assert.Equal(4, (await Store.List("e4", "r1")).Count);
    }

    [Fact]
    public async Task A_failing_upload_links_none_of_its_files()
    {
        var before = await BlobCount();
        var broken = new NewEvidenceFile("f-broken", "b.jpg", "image/jpeg", 3, new string('a', 64), () => throw new IOException("the spool file is gone"), null);
        await Assert.ThrowsAnyAsync<Exception>(() => Store.Add(Upload("e5", "r1", "tianshui", [File([9, 9, 9]), broken])));
        Assert.Empty(await Store.List("e5", "r1"));
        Assert.Equal(before, await BlobCount());
    }
}
