namespace Elixir.Interop;

/// <summary>The <c>CUdevice_attribute</c> values the runtime reads, with their <c>cuda.h</c> names and numbers.</summary>
internal enum CUdevice_attribute
{
    CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16,
    CU_DEVICE_ATTRIBUTE_PCI_BUS_ID = 33,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75,
    CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76,
}
