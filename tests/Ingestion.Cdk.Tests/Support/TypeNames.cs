using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Ingestion.Cdk.Tests.Support;

/// <summary>Reads public types and method signatures from an assembly file without loading it.</summary>
/// <remarks>The published handlers are an arm64 image: this process (often x64) could not load them.</remarks>
internal sealed class AssemblyMetadata
{
    private readonly Dictionary<string, List<string>> _methodsByType = [];

    public AssemblyMetadata(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        var provider = new TypeNames();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) != System.Reflection.TypeAttributes.Public)
            {
                continue;
            }

            var name = $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
            var methods = new List<string>();
            foreach (var methodHandle in type.GetMethods())
            {
                var method = reader.GetMethodDefinition(methodHandle);
                if ((method.Attributes & System.Reflection.MethodAttributes.MemberAccessMask) != System.Reflection.MethodAttributes.Public
                    || (method.Attributes & System.Reflection.MethodAttributes.Static) != 0)
                {
                    continue;
                }

                var signature = method.DecodeSignature(provider, genericContext: null);
                methods.Add($"{signature.ReturnType} {reader.GetString(method.Name)}({string.Join(", ", signature.ParameterTypes)})");
            }

            _methodsByType[name] = methods;
        }
    }

    /// <summary>Public instance methods of a public type, as <c>ReturnType Name(ParameterTypes)</c>; null when there is no such public type.</summary>
    public IReadOnlyList<string>? PublicInstanceMethods(string typeName) => _methodsByType.GetValueOrDefault(typeName);

    private sealed class TypeNames : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeReference(handle);
            return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) =>
            $"{genericType}<{string.Join(", ", typeArguments)}>";

        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[" + new string(',', shape.Rank - 1) + "]";

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPinnedType(string elementType) => elementType;

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetFunctionPointerType(MethodSignature<string> signature) => "method*";

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
