using System.Text.Json;
using Ingestion.States.Errors;
using Ingestion.States.Json;

namespace Ingestion.States.Integrations;

/// <summary>
/// The Lambda integrations: the optimised <c>arn:aws:states:::lambda:invoke</c> and the bare
/// function ARN (<c>arn:aws:lambda:…:function:name</c>).
/// </summary>
internal static class LambdaIntegration
{
    public const string InvokeResource = "arn:aws:states:::lambda:invoke";
    public const string BareFunctionPrefix = "arn:aws:lambda:";

    /// <summary>lambda:invoke: returns AWS's response shape with the function's result under Payload.</summary>
    public static TaskHandler Invoke(LambdaFunctions functions) => async (request, ct) =>
    {
        var parameters = request.Parameters as JObject;
        if (parameters?.Get("FunctionName") is not JString name)
        {
            throw new StatesException("Lambda.InvalidParameterValueException", "The Parameters of a lambda:invoke task need a FunctionName string.");
        }

        var payload = parameters.Get("Payload") ?? JObject.Empty;
        var result = await Call(functions, name.Value, payload, ct);
        var requestId = Guid.NewGuid().ToString();
        return new JObject(
        [
            new("ExecutedVersion", new JString("$LATEST")),
            new("Payload", result),
            new("SdkHttpMetadata", new JObject(
            [
                new("AllHttpHeaders", new JObject(
                [
                    new("X-Amz-Executed-Version", new JArray([new JString("$LATEST")])),
                    new("x-amzn-Remapped-Content-Length", new JArray([new JString("0")])),
                    new("Connection", new JArray([new JString("keep-alive")])),
                    new("x-amzn-RequestId", new JArray([new JString(requestId)])),
                    new("Content-Type", new JArray([new JString("application/json")])),
                ])),
                new("HttpHeaders", new JObject(
                [
                    new("Connection", new JString("keep-alive")),
                    new("Content-Type", new JString("application/json")),
                    new("X-Amz-Executed-Version", new JString("$LATEST")),
                    new("x-amzn-Remapped-Content-Length", new JString("0")),
                    new("x-amzn-RequestId", new JString(requestId)),
                ])),
                new("HttpStatusCode", JNumber.Of(200)),
            ])),
            new("SdkResponseMetadata", new JObject([new("RequestId", new JString(requestId))])),
            new("StatusCode", JNumber.Of(200)),
        ]);
    };

    /// <summary>A bare function ARN: the task result is the function's result itself.</summary>
    public static TaskHandler BareFunction(LambdaFunctions functions) =>
        (request, ct) => Call(functions, request.Resource, request.Parameters, ct);

    private static async ValueTask<JValue> Call(LambdaFunctions functions, string name, JValue payload, CancellationToken ct)
    {
        if (!functions.TryGet(name, out var function))
        {
            throw new StatesException("Lambda.ResourceNotFoundException",
                $"Function not found: {name} (no function with this name is registered in LambdaFunctions).");
        }

        try
        {
            return await function(payload, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            throw FunctionError(e);
        }
    }

    /// <summary>
    /// A function error as Step Functions reports it: the error is the exception's type name
    /// (Lambda's errorType) and the cause is Lambda's JSON error payload.
    /// </summary>
    public static StatesException FunctionError(Exception e)
    {
        var errorType = e is StatesException s ? s.Error : e.GetType().Name;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JWriterOptions.Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("errorType", errorType);
            writer.WriteString("errorMessage", e is StatesException se ? se.Cause : e.Message);
            writer.WriteStartArray("stackTrace");
            foreach (var line in (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return new StatesException(errorType, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), e);
    }
}
