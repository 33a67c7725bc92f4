using Orleans.Storage;

namespace Minsheng.Persistence.Tests;

/// <summary>The grain storage serializer as the silo configures it, for tests that need no silo.</summary>
internal static class StorageSerializers
{
    public static IGrainStorageSerializer Create() => GrainStorageJson.CreateSerializer();
}
