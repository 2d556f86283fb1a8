namespace Ingestion.Rehearsal;

/// <summary>The deployment would not work as synthesized: the message says which resource and why.</summary>
public sealed class RehearsalException(string message) : Exception(message);
