namespace Ingestion.LambdaRuntime;

/// <summary>One Lambda function: takes the invocation's payload and returns the response payload.</summary>
/// <param name="input">The event payload, as Lambda delivered it (seekable).</param>
/// <param name="context">The invocation's request id, deadline and function settings.</param>
/// <param name="cancellationToken">Fires at the invocation's deadline (Lambda stops the function then).</param>
/// <returns>The response payload; the runtime sends it and disposes it.</returns>
/// <remarks>
/// An exception thrown here becomes the invocation's error: its <c>errorType</c> is
/// <see cref="ILambdaErrorType.ErrorType"/> when the exception implements it, else the exception's type name.
/// </remarks>
public delegate Task<Stream> LambdaHandler(Stream input, LambdaContext context, CancellationToken cancellationToken);
