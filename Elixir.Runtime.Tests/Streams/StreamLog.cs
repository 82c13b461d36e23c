using Elixir.Memory;

namespace Elixir.Runtime.Tests.Streams;

/// <summary>A copy, fill, kernel or collective and the stream it was issued on, with the buffers it wrote and read.</summary>
internal readonly record struct IssuedOperation(string Kind, string Stream, nint Destination, nint Source);

/// <summary>
/// The operations one rank issued, in order, each with the name of its stream; a null stream is logged as the
/// backend's default stream, which it means. Not thread-safe: one log per rank.
/// </summary>
internal sealed class StreamLog
{
    public const string Main = "main";

    public List<IssuedOperation> Operations { get; } = [];

    public void Add(string kind, IStream? stream, BufferSlice destination, BufferSlice source) =>
        Operations.Add(new IssuedOperation(kind, stream?.ToString() ?? Main, destination.Address, source.Address));

    /// <summary>The streams of the operations of <paramref name="kind"/>, in issue order.</summary>
    public string[] StreamsOf(string kind) => [.. Operations.Where(o => o.Kind == kind).Select(o => o.Stream)];

    /// <summary>The streams of the copies that read <paramref name="source"/> (at its start), in issue order.</summary>
    public string[] CopiesFrom(BufferSlice source) =>
        [.. Operations.Where(o => o.Kind == "copy" && o.Source == source.Address).Select(o => o.Stream)];

    /// <summary>The streams of the copies that wrote <paramref name="destination"/> (at its start), in issue order.</summary>
    public string[] CopiesInto(BufferSlice destination) =>
        [.. Operations.Where(o => o.Kind == "copy" && o.Destination == destination.Address).Select(o => o.Stream)];
}
