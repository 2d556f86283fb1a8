using System.Diagnostics.CodeAnalysis;

namespace Ingestion.States.Jsonata.Evaluation;

/// <summary>Throw helpers, so hot paths stay small and every error carries its jsonata-js code.</summary>
internal static class JsonataErrors
{
    [DoesNotReturn]
    public static void Throw(string code, string message, int position = -1, string? token = null) =>
        throw new JsonataException(code, message, position, token);

    public static JsonataException Create(string code, string message, int position = -1, string? token = null) =>
        new(code, message, position, token);
}
