namespace Minsheng.Domain.Import;

/// <summary>
/// A notice or import dictionary the importer cannot turn into a plan; the message names the place.
/// A <see cref="FormatException"/>, since the input text is what is wrong, so callers that already report bad
/// input formats (e.g. the silo's <c>import</c> command) report this too.
/// </summary>
public sealed class NoticeImportException(string message, Exception? inner = null) : FormatException(message, inner);
