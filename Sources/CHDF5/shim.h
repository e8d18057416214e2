// HDF5 (Debian: libhdf5-dev; headers under hdf5/serial, found through the pkg-config name
// `hdf5`). Swift imports HDF5's functions but not its type and property macros, which expand to
// globals read after H5open(): the accessors below return them.
#ifndef SPIKESCOPE_CHDF5_SHIM_H
#define SPIKESCOPE_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t spk_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t spk_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t spk_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t spk_h5t_std_i64le(void) { return H5T_STD_I64LE; }
static inline hid_t spk_h5t_ieee_f32le(void) { return H5T_IEEE_F32LE; }
static inline hid_t spk_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t spk_h5t_variable(void) { return H5T_VARIABLE; }
static inline hid_t spk_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t spk_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t spk_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t spk_h5s_all(void) { return H5S_ALL; }
static inline unsigned spk_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned spk_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline hid_t spk_h5e_default(void) { return H5E_DEFAULT; }

/// Silences HDF5's error stack printing (errors come back as return codes and are reported by us).
static inline void spk_h5_quiet(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// The object type at `name` in `loc` (H5O_TYPE_GROUP, H5O_TYPE_DATASET, ...), or -1.
static inline int spk_h5_object_type(hid_t loc, const char *name) {
#if H5_VERSION_GE(1, 12, 0)
    H5O_info2_t info;
    if (H5Oget_info_by_name3(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#else
    H5O_info_t info;
    if (H5Oget_info_by_name2(loc, name, &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return -1;
#endif
    return (int)info.type;
}

/// Frees the variable-length strings H5Dread allocated in `buf`.
static inline herr_t spk_h5_reclaim(hid_t type, hid_t space, void *buf) {
#if H5_VERSION_GE(1, 12, 0)
    return H5Treclaim(type, space, H5P_DEFAULT, buf);
#else
    return H5Dvlen_reclaim(type, space, H5P_DEFAULT, buf);
#endif
}

static inline int spk_h5o_type_group(void) { return H5O_TYPE_GROUP; }
static inline int spk_h5o_type_dataset(void) { return H5O_TYPE_DATASET; }
#endif
