namespace System.Runtime.CompilerServices
{
    // netstandard2.0 lacks the marker type that init-only setters (and so records) compile against.
    internal static class IsExternalInit
    {
    }
}
