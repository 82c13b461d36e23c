namespace Elixir.Collectives.Nccl;

/// <summary>The start-up exchange's wire format: a greeting of magic and rank (little-endian), answered with the id.</summary>
internal static class UniqueIdProtocol
{
    /// <summary>"ELXR" read as a little-endian integer.</summary>
    internal const uint Magic = 0x52584C45;

    internal const int HeaderBytes = 8;

    internal const int IdBytes = 128;
}
