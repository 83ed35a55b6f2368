//===- lapack.cpp - JAX's LAPACK custom calls for the generated code -------===//
//
// hlox_rt_lapack_<op>_<s|d|c|z>: what jaxlib's `lapack_?<op>_ffi` custom calls
// compute (potrf, trsm, getrf, geqrf, orgqr/ungqr, syevd/heevd, gesdd), over
// leading batch dimensions, with the same outputs (info codes, 1-based pivots,
// LAPACK's Householder form), called by the code `hlox-cpu-lapack-to-runtime`
// emits. The routines are the LAPACK/BLAS that scipy ships, the ones jaxlib
// uses: Python hands their addresses (scipy.linalg.cython_lapack/_blas
// capsules) to hlox_rt_lapack_register before any call.
//
// Arrays arrive row-major (logical layout), which is the transpose in
// column-major: potrf and trsm work on them in place (the other triangle/side);
// the others copy each matrix to column-major scratch for LAPACK and back. Every output is written: a
// routine that is not registered gives info = -1000 and NaN results.
//
//===----------------------------------------------------------------------===//
#include "memref.h"

#include <algorithm>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace {

using hlox_rt::Array;
using hlox_rt::readMemref;
using c64 = std::complex<float>;
using c128 = std::complex<double>;

template <typename T> struct RealOf { using type = T; };
template <typename T> struct RealOf<std::complex<T>> { using type = T; };
template <typename T> using Real = typename RealOf<T>::type;
template <typename T> constexpr bool isComplex = !std::is_same<T, Real<T>>::value;

// The routines, by name; filled by hlox_rt_lapack_register.
const char *const kRoutines[] = {
    "spotrf", "dpotrf", "cpotrf", "zpotrf", "strsm",  "dtrsm",  "ctrsm",  "ztrsm",
    "sgetrf", "dgetrf", "cgetrf", "zgetrf", "sgeqrf", "dgeqrf", "cgeqrf", "zgeqrf",
    "sorgqr", "dorgqr", "cungqr", "zungqr", "ssyevd", "dsyevd", "cheevd", "zheevd",
    "sgesdd", "dgesdd", "cgesdd", "zgesdd"};
constexpr int kNumRoutines = sizeof(kRoutines) / sizeof(kRoutines[0]);
void *routines[kNumRoutines] = {};

template <typename T> char prefix() {
  return std::is_same<T, float>::value    ? 's'
         : std::is_same<T, double>::value ? 'd'
         : std::is_same<T, c64>::value    ? 'c'
                                          : 'z';
}

/// The registered routine `<prefix><name>` as a function pointer (or null).
template <typename Fn, typename T> Fn *routine(const char *name) {
  std::string full = std::string(1, prefix<T>()) + name;
  for (int i = 0; i < kNumRoutines; ++i)
    if (full == kRoutines[i])
      return reinterpret_cast<Fn *>(routines[i]);
  return nullptr;
}

template <typename T> T nanValue() {
  return T(std::numeric_limits<Real<T>>::quiet_NaN());
}

template <typename T> void fillNaN(Array<T> &a) { std::fill(a.data, a.data + a.size(), nanValue<T>()); }

void fillInfo(Array<int32_t> &info, int32_t value) { std::fill(info.data, info.data + info.size(), value); }

constexpr int32_t kNotRegistered = -1000;

/// m x n row-major <-> column-major (leading dimension m), in square tiles so
/// that both sides stay in cache (a plain double loop strides one side by a
/// whole row or column per element).
template <typename T> void transposeInto(const T *src, T *dst, int64_t rows, int64_t cols) {
  constexpr int64_t kTile = 32;
  for (int64_t i0 = 0; i0 < rows; i0 += kTile)
    for (int64_t j0 = 0; j0 < cols; j0 += kTile) {
      int64_t i1 = std::min(rows, i0 + kTile), j1 = std::min(cols, j0 + kTile);
      for (int64_t i = i0; i < i1; ++i)
        for (int64_t j = j0; j < j1; ++j)
          dst[i + j * rows] = src[i * cols + j];
    }
}
template <typename T> void toColumnMajor(const T *row, T *col, int64_t m, int64_t n) {
  transposeInto(row, col, m, n);
}
template <typename T> void fromColumnMajor(const T *col, T *row, int64_t m, int64_t n) {
  transposeInto(col, row, n, m);
}

/// The other triangle or side: a row-major matrix is its transpose in column-major.
char flipUplo(int64_t uplo) { return uplo == 'U' || uplo == 'u' ? 'L' : 'U'; }
char flipSide(int64_t side) { return side == 'R' || side == 'r' ? 'L' : 'R'; }

int ld(int64_t rows) { return static_cast<int>(std::max<int64_t>(1, rows)); }

/// A workspace size LAPACK returned in a work array's first element.
template <typename T> int workSize(T value) {
  return std::max(1, static_cast<int>(std::real(value)) + 1);
}

// -- potrf: Cholesky; the other triangle keeps the input ---------------------

template <typename T> using PotrfFn = void(char *, int *, T *, int *, int *);

template <typename T> void potrf(int64_t ar, void *ad, int64_t outr, void *outd, int64_t infor,
                                 void *infod, int64_t uplo) {
  auto a = readMemref<T>(ar, ad);
  auto out = readMemref<T>(outr, outd);
  auto info = readMemref<int32_t>(infor, infod);
  auto *fn = routine<PotrfFn<T>, T>("potrf");
  if (!fn) {
    fillNaN(out), fillInfo(info, kNotRegistered);
    return;
  }
  // Row-major A is A^T in column-major, which is conj(A) for a Hermitian A: the
  // factor of the other triangle of conj(A), read back row-major, is A's (no copies).
  int64_t n = a.dim(1), batch = a.product(0, a.shape.size() - 2);
  if (out.data != a.data)
    std::copy(a.data, a.data + a.size(), out.data);
  char u = flipUplo(uplo);
  for (int64_t b = 0; b < batch; ++b) {
    int nn = static_cast<int>(n), lda = ld(n), status = 0;
    if (n > 0)
      fn(&u, &nn, out.data + b * n * n, &lda, &status);
    info.data[b] = status;
  }
}

// -- trsm: triangular solve, alpha = 1 ----------------------------------------

template <typename T>
using TrsmFn = void(char *, char *, char *, char *, int *, int *, T *, T *, int *, T *, int *);

template <typename T>
void trsm(int64_t ar, void *ad, int64_t br, void *bd, int64_t outr, void *outd, int64_t side,
          int64_t uplo, int64_t trans, int64_t diag) {
  auto a = readMemref<T>(ar, ad);
  auto bm = readMemref<T>(br, bd);
  auto out = readMemref<T>(outr, outd);
  auto *fn = routine<TrsmFn<T>, T>("trsm");
  if (!fn) {
    fillNaN(out);
    return;
  }
  // op(A) X = B is X^T op(A)^T = B^T, and row-major A, B are A^T, B^T in
  // column-major: the other side and triangle on the row-major data, in place.
  int64_t k = a.dim(1), m = bm.dim(2), n = bm.dim(1);
  int64_t batch = bm.product(0, bm.shape.size() - 2);
  if (out.data != bm.data)
    std::copy(bm.data, bm.data + bm.size(), out.data);
  char s = flipSide(side), u = flipUplo(uplo), t = static_cast<char>(trans),
       d = static_cast<char>(diag);
  T one(1);
  for (int64_t b = 0; b < batch; ++b) {
    int mm = static_cast<int>(n), nn = static_cast<int>(m), lda = ld(k), ldb = ld(n);
    if (m > 0 && n > 0)
      fn(&s, &u, &t, &d, &mm, &nn, &one, a.data + b * k * k, &lda,
         out.data + b * m * n, &ldb);
  }
}

// -- getrf: LU with partial pivoting (1-based pivots) -------------------------

template <typename T> using GetrfFn = void(int *, int *, T *, int *, int *, int *);

template <typename T>
void getrf(int64_t ar, void *ad, int64_t outr, void *outd, int64_t pivr, void *pivd,
           int64_t infor, void *infod) {
  auto a = readMemref<T>(ar, ad);
  auto out = readMemref<T>(outr, outd);
  auto piv = readMemref<int32_t>(pivr, pivd);
  auto info = readMemref<int32_t>(infor, infod);
  auto *fn = routine<GetrfFn<T>, T>("getrf");
  if (!fn) {
    fillNaN(out), fillInfo(info, kNotRegistered), fillInfo(piv, 1);
    return;
  }
  int64_t m = a.dim(2), n = a.dim(1), k = std::min(m, n);
  int64_t batch = a.product(0, a.shape.size() - 2);
  std::vector<T> col(m * n);
  for (int64_t b = 0; b < batch; ++b) {
    toColumnMajor(a.data + b * m * n, col.data(), m, n);
    int mm = static_cast<int>(m), nn = static_cast<int>(n), lda = ld(m), status = 0;
    if (k > 0)
      fn(&mm, &nn, col.data(), &lda, piv.data + b * k, &status);
    fromColumnMajor(col.data(), out.data + b * m * n, m, n);
    info.data[b] = status;
  }
}

// -- geqrf / orgqr (ungqr): QR in Householder form, then Q ---------------------

template <typename T> using GeqrfFn = void(int *, int *, T *, int *, T *, T *, int *, int *);
template <typename T> using OrgqrFn = void(int *, int *, int *, T *, int *, T *, T *, int *, int *);

template <typename T>
void geqrf(int64_t ar, void *ad, int64_t outr, void *outd, int64_t taur, void *taud) {
  auto a = readMemref<T>(ar, ad);
  auto out = readMemref<T>(outr, outd);
  auto tau = readMemref<T>(taur, taud);
  auto *fn = routine<GeqrfFn<T>, T>("geqrf");
  if (!fn) {
    fillNaN(out), fillNaN(tau);
    return;
  }
  int64_t m = a.dim(2), n = a.dim(1), k = std::min(m, n);
  int64_t batch = a.product(0, a.shape.size() - 2);
  std::vector<T> col(m * n), work(1);
  int mm = static_cast<int>(m), nn = static_cast<int>(n), lda = ld(m), lwork = -1, status = 0;
  if (k > 0) {
    T query;
    fn(&mm, &nn, col.data(), &lda, tau.data, &query, &lwork, &status);
    work.resize(workSize(query));
  }
  lwork = static_cast<int>(work.size());
  for (int64_t b = 0; b < batch; ++b) {
    toColumnMajor(a.data + b * m * n, col.data(), m, n);
    if (k > 0)
      fn(&mm, &nn, col.data(), &lda, tau.data + b * k, work.data(), &lwork, &status);
    fromColumnMajor(col.data(), out.data + b * m * n, m, n);
  }
}

template <typename T>
void orgqr(int64_t ar, void *ad, int64_t taur, void *taud, int64_t outr, void *outd) {
  auto a = readMemref<T>(ar, ad);
  auto tau = readMemref<T>(taur, taud);
  auto out = readMemref<T>(outr, outd);
  auto *fn = routine<OrgqrFn<T>, T>(isComplex<T> ? "ungqr" : "orgqr");
  if (!fn) {
    fillNaN(out);
    return;
  }
  int64_t m = a.dim(2), n = a.dim(1), k = tau.dim(1);
  int64_t batch = a.product(0, a.shape.size() - 2);
  std::vector<T> col(m * n), work(1);
  int mm = static_cast<int>(m), nn = static_cast<int>(n), kk = static_cast<int>(k), lda = ld(m),
      lwork = -1, status = 0;
  if (n > 0) {
    T query;
    fn(&mm, &nn, &kk, col.data(), &lda, tau.data, &query, &lwork, &status);
    work.resize(workSize(query));
  }
  lwork = static_cast<int>(work.size());
  for (int64_t b = 0; b < batch; ++b) {
    toColumnMajor(a.data + b * m * n, col.data(), m, n);
    if (n > 0)
      fn(&mm, &nn, &kk, col.data(), &lda, tau.data + b * k, work.data(), &lwork, &status);
    fromColumnMajor(col.data(), out.data + b * m * n, m, n);
  }
}

// -- syevd (heevd): symmetric/Hermitian eigendecomposition ---------------------

template <typename T>
using SyevdFn = void(char *, char *, int *, T *, int *, T *, T *, int *, int *, int *, int *);
template <typename T>
using HeevdFn = void(char *, char *, int *, T *, int *, Real<T> *, T *, int *, Real<T> *, int *,
                     int *, int *, int *);

template <typename T>
void syevd(int64_t ar, void *ad, int64_t vr, void *vd, int64_t wr, void *wd, int64_t infor,
           void *infod, int64_t mode, int64_t uplo) {
  auto a = readMemref<T>(ar, ad);
  auto v = readMemref<T>(vr, vd);
  auto w = readMemref<Real<T>>(wr, wd);
  auto info = readMemref<int32_t>(infor, infod);
  int64_t n = a.dim(1), batch = a.product(0, a.shape.size() - 2);
  char jobz = static_cast<char>(mode), u = static_cast<char>(uplo);
  int nn = static_cast<int>(n), lda = ld(n), status = 0;
  std::vector<T> col(n * n), work(1);
  std::vector<Real<T>> rwork(1);
  std::vector<int> iwork(1);
  int lwork = -1, lrwork = -1, liwork = -1;
  if constexpr (isComplex<T>) {
    auto *fn = routine<HeevdFn<T>, T>("heevd");
    if (!fn) {
      fillNaN(v), fillNaN(w), fillInfo(info, kNotRegistered);
      return;
    }
    if (n > 0) {
      T wq;
      Real<T> rq;
      int iq;
      fn(&jobz, &u, &nn, col.data(), &lda, w.data, &wq, &lwork, &rq, &lrwork, &iq, &liwork, &status);
      work.resize(workSize(wq)), rwork.resize(workSize(rq)), iwork.resize(std::max(1, iq));
    }
    lwork = static_cast<int>(work.size()), lrwork = static_cast<int>(rwork.size()),
    liwork = static_cast<int>(iwork.size());
    for (int64_t b = 0; b < batch; ++b) {
      toColumnMajor(a.data + b * n * n, col.data(), n, n);
      status = 0;
      if (n > 0)
        fn(&jobz, &u, &nn, col.data(), &lda, w.data + b * n, work.data(), &lwork, rwork.data(),
           &lrwork, iwork.data(), &liwork, &status);
      fromColumnMajor(col.data(), v.data + b * n * n, n, n);
      info.data[b] = status;
    }
  } else {
    auto *fn = routine<SyevdFn<T>, T>("syevd");
    if (!fn) {
      fillNaN(v), fillNaN(w), fillInfo(info, kNotRegistered);
      return;
    }
    if (n > 0) {
      T wq;
      int iq;
      fn(&jobz, &u, &nn, col.data(), &lda, w.data, &wq, &lwork, &iq, &liwork, &status);
      work.resize(workSize(wq)), iwork.resize(std::max(1, iq));
    }
    lwork = static_cast<int>(work.size()), liwork = static_cast<int>(iwork.size());
    for (int64_t b = 0; b < batch; ++b) {
      toColumnMajor(a.data + b * n * n, col.data(), n, n);
      status = 0;
      if (n > 0)
        fn(&jobz, &u, &nn, col.data(), &lda, w.data + b * n, work.data(), &lwork, iwork.data(),
           &liwork, &status);
      fromColumnMajor(col.data(), v.data + b * n * n, n, n);
      info.data[b] = status;
    }
  }
}

// -- gesdd: SVD by divide and conquer -------------------------------------------

template <typename T>
using GesddRealFn = void(char *, int *, int *, T *, int *, T *, T *, int *, T *, int *, T *, int *,
                         int *, int *);
template <typename T>
using GesddComplexFn = void(char *, int *, int *, T *, int *, Real<T> *, T *, int *, T *, int *, T *,
                            int *, Real<T> *, int *, int *);

template <typename T>
void gesdd(int64_t ar, void *ad, int64_t outr, void *outd, int64_t sr, void *sd, int64_t ur,
           void *ud, int64_t vtr, void *vtd, int64_t infor, void *infod, int64_t mode) {
  auto a = readMemref<T>(ar, ad);
  auto out = readMemref<T>(outr, outd);
  auto s = readMemref<Real<T>>(sr, sd);
  auto u = readMemref<T>(ur, ud);
  auto vt = readMemref<T>(vtr, vtd);
  auto info = readMemref<int32_t>(infor, infod);
  int64_t m = a.dim(2), n = a.dim(1), k = std::min(m, n);
  int64_t uRows = u.dim(2), uCols = u.dim(1), vtRows = vt.dim(2), vtCols = vt.dim(1);
  int64_t batch = a.product(0, a.shape.size() - 2);
  char jobz = static_cast<char>(mode);
  bool vectors = jobz != 'N';
  std::fill(u.data, u.data + u.size(), T(0));
  std::fill(vt.data, vt.data + vt.size(), T(0));
  int mm = static_cast<int>(m), nn = static_cast<int>(n), lda = ld(m), ldu = ld(uRows),
      ldvt = ld(vtRows), lwork = -1, status = 0;
  std::vector<T> col(m * n), ucol(vectors ? uRows * uCols : 1), vtcol(vectors ? vtRows * vtCols : 1),
      work(1);
  std::vector<int> iwork(std::max<int64_t>(1, 8 * k));
  std::vector<Real<T>> rwork(1);
  auto finish = [&](int64_t b) {
    fromColumnMajor(col.data(), out.data + b * m * n, m, n);
    if (vectors) {
      fromColumnMajor(ucol.data(), u.data + b * uRows * uCols, uRows, uCols);
      fromColumnMajor(vtcol.data(), vt.data + b * vtRows * vtCols, vtRows, vtCols);
    }
    info.data[b] = status;
  };
  if constexpr (isComplex<T>) {
    auto *fn = routine<GesddComplexFn<T>, T>("gesdd");
    if (!fn) {
      fillNaN(out), fillNaN(s), fillNaN(u), fillNaN(vt), fillInfo(info, kNotRegistered);
      return;
    }
    int64_t big = std::max(m, n);
    rwork.resize(std::max<int64_t>(1, std::max(5 * k * k + 5 * k, 2 * big * k + 2 * k * k + k) + 7 * k));
    if (k > 0) {
      T query;
      fn(&jobz, &mm, &nn, col.data(), &lda, s.data, ucol.data(), &ldu, vtcol.data(), &ldvt, &query,
         &lwork, rwork.data(), iwork.data(), &status);
      work.resize(workSize(query));
    }
    lwork = static_cast<int>(work.size());
    for (int64_t b = 0; b < batch; ++b) {
      toColumnMajor(a.data + b * m * n, col.data(), m, n);
      status = 0;
      if (k > 0)
        fn(&jobz, &mm, &nn, col.data(), &lda, s.data + b * k, ucol.data(), &ldu, vtcol.data(), &ldvt,
           work.data(), &lwork, rwork.data(), iwork.data(), &status);
      finish(b);
    }
  } else {
    auto *fn = routine<GesddRealFn<T>, T>("gesdd");
    if (!fn) {
      fillNaN(out), fillNaN(s), fillNaN(u), fillNaN(vt), fillInfo(info, kNotRegistered);
      return;
    }
    if (k > 0) {
      T query;
      fn(&jobz, &mm, &nn, col.data(), &lda, s.data, ucol.data(), &ldu, vtcol.data(), &ldvt, &query,
         &lwork, iwork.data(), &status);
      work.resize(workSize(query));
    }
    lwork = static_cast<int>(work.size());
    for (int64_t b = 0; b < batch; ++b) {
      toColumnMajor(a.data + b * m * n, col.data(), m, n);
      status = 0;
      if (k > 0)
        fn(&jobz, &mm, &nn, col.data(), &lda, s.data + b * k, ucol.data(), &ldu, vtcol.data(), &ldvt,
           work.data(), &lwork, iwork.data(), &status);
      finish(b);
    }
  }
}

} // namespace

#define HLOX_RT_LAPACK_ALL_TYPES(MACRO)                                                            \
  MACRO(s, float)                                                                                  \
  MACRO(d, double)                                                                                 \
  MACRO(c, c64)                                                                                    \
  MACRO(z, c128)

#define M void *
#define R int64_t
#define HLOX_RT_LAPACK_ENTRIES(P, T)                                                               \
  void hlox_rt_lapack_potrf_##P(R ar, M a, R outr, M out, R infor, M info, int64_t uplo) {        \
    potrf<T>(ar, a, outr, out, infor, info, uplo);                                                 \
  }                                                                                                \
  void hlox_rt_lapack_trsm_##P(R ar, M a, R br, M b, R outr, M out, int64_t side, int64_t uplo,    \
                               int64_t trans, int64_t diag) {                                      \
    trsm<T>(ar, a, br, b, outr, out, side, uplo, trans, diag);                                     \
  }                                                                                                \
  void hlox_rt_lapack_getrf_##P(R ar, M a, R outr, M out, R pr, M p, R ir, M i) {                  \
    getrf<T>(ar, a, outr, out, pr, p, ir, i);                                                      \
  }                                                                                                \
  void hlox_rt_lapack_geqrf_##P(R ar, M a, R outr, M out, R tr, M t) {                             \
    geqrf<T>(ar, a, outr, out, tr, t);                                                             \
  }                                                                                                \
  void hlox_rt_lapack_orgqr_##P(R ar, M a, R tr, M t, R outr, M out) {                             \
    orgqr<T>(ar, a, tr, t, outr, out);                                                             \
  }                                                                                                \
  void hlox_rt_lapack_syevd_##P(R ar, M a, R vr, M v, R wr, M w, R ir, M i, int64_t mode,          \
                                int64_t uplo) {                                                    \
    syevd<T>(ar, a, vr, v, wr, w, ir, i, mode, uplo);                                              \
  }                                                                                                \
  void hlox_rt_lapack_gesdd_##P(R ar, M a, R outr, M out, R sr, M s, R ur, M u, R vr, M v, R ir,   \
                                M i, int64_t mode) {                                               \
    gesdd<T>(ar, a, outr, out, sr, s, ur, u, vr, v, ir, i, mode);                                  \
  }

extern "C" {
/// Records the address of LAPACK/BLAS routine `name` (e.g. "dpotrf"); 0 if
/// it is one the runtime uses, -1 otherwise.
int hlox_rt_lapack_register(const char *name, void *address) {
  for (int i = 0; i < kNumRoutines; ++i)
    if (std::strcmp(name, kRoutines[i]) == 0) {
      routines[i] = address;
      return 0;
    }
  return -1;
}

/// The name of routine `index` hlox_rt_lapack_register takes (null past the last).
const char *hlox_rt_lapack_routine(int index) {
  return index >= 0 && index < kNumRoutines ? kRoutines[index] : nullptr;
}

HLOX_RT_LAPACK_ALL_TYPES(HLOX_RT_LAPACK_ENTRIES)
}
