namespace Ingestion.Rehearsal.Template;

/// <summary>The template asks for something the rehearsal cannot give it: the message names the resource and property.</summary>
public sealed class TemplateException(string message) : Exception(message);
