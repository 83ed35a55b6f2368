//===- fft.cpp - stablehlo.fft for the cpu backend's generated code -------===//
//
// hlox_rt_fft_{c2c,r2c,c2r}_{f32,f64}(in, out, fft_rank[, inverse]): the
// transforms of stablehlo.fft over the last `fft_rank` axes of a batched
// array, called by the code `hlox-cpu-fft-to-runtime` emits. Arrays arrive as
// unranked memrefs (rank, pointer to the ranked descriptor).
//
// Every length runs in O(n log n): a Stockham autosort FFT (no bit reversal;
// radix 4, 2, 3, 5 and small odd primes as generic butterflies) when n has
// only small prime factors, otherwise Bluestein's algorithm (a chirp
// convolution through a power-of-two FFT), computed in double precision so
// that float32 keeps float32 accuracy. Real transforms of even length n run
// one complex FFT of length n/2. Twiddle factors are computed in double from
// exact integer angles. Plans are cached per length and precision (under a
// mutex: partitions may call concurrently); results do not depend on threads
// or on the order of calls.
//
//===----------------------------------------------------------------------===//
#include <cmath>
#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace {

constexpr double kPi = 3.14159265358979323846264338327950288;

/// A complex number laid out as std::complex (re, im), with plain arithmetic
/// (std::complex's multiplication calls a NaN-handling runtime routine).
template <typename T> struct Cx {
  T re, im;
};
template <typename T> inline Cx<T> operator+(Cx<T> a, Cx<T> b) { return {a.re + b.re, a.im + b.im}; }
template <typename T> inline Cx<T> operator-(Cx<T> a, Cx<T> b) { return {a.re - b.re, a.im - b.im}; }
template <typename T> inline Cx<T> operator*(Cx<T> a, Cx<T> b) {
  return {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
}
template <typename T> inline Cx<T> conj(Cx<T> a) { return {a.re, -a.im}; }
template <typename T> inline Cx<T> scale(Cx<T> a, T s) { return {a.re * s, a.im * s}; }
/// -i * a
template <typename T> inline Cx<T> mulMinusI(Cx<T> a) { return {a.im, -a.re}; }

/// exp(-2 pi i k / n), from the exact angle k mod n.
template <typename T> Cx<T> unitRoot(int64_t k, int64_t n) {
  k %= n;
  if (k < 0)
    k += n;
  double angle = -2.0 * kPi * static_cast<double>(k) / static_cast<double>(n);
  return {static_cast<T>(std::cos(angle)), static_cast<T>(std::sin(angle))};
}

// Odd primes up to this run as generic O(p^2) butterflies; a larger prime
// factor sends the whole length to Bluestein.
constexpr int64_t kLargestButterfly = 13;

/// The radices of a Stockham plan for n (4s first), or {} when n has a prime
/// factor above kLargestButterfly.
std::vector<int> radicesFor(int64_t n) {
  std::vector<int> radices;
  while (n % 4 == 0) {
    radices.push_back(4);
    n /= 4;
  }
  if (n % 2 == 0) {
    radices.push_back(2);
    n /= 2;
  }
  for (int p = 3; p <= kLargestButterfly && n > 1; p += 2)
    while (n % p == 0) {
      radices.push_back(p);
      n /= p;
    }
  if (n != 1)
    return {};
  return radices;
}

/// A forward complex DFT of one length, out of place or in place.
template <typename T> class ComplexPlan {
public:
  explicit ComplexPlan(int64_t n);
  int64_t size() const { return n_; }
  /// out = DFT(in) (inverse: the unscaled inverse DFT). `in` and `out` may
  /// be the same; `work` holds 2 * workSize() elements.
  void run(const Cx<T> *in, Cx<T> *out, bool inverse, Cx<T> *work) const;
  int64_t workSize() const { return bluestein_ ? 0 : n_; }

private:
  struct Stage {
    int radix;
    int64_t length;            // of each sub-sequence this stage splits
    std::vector<Cx<T>> twiddle; // [j * (radix - 1) + r - 1] = w_length^(j r)
    std::vector<Cx<T>> roots;   // generic butterflies: w_radix^k, k < radix
  };
  void stockham(Cx<T> *x, Cx<T> *y, Cx<T> *&result) const;

  int64_t n_;
  std::vector<Stage> stages_;
  // Bluestein: the chirp w^(k^2/2) and the spectrum of its conjugate
  // (scaled by 1/m), over a power-of-two length m >= 2n - 1, in double.
  struct Bluestein {
    int64_t m;
    const ComplexPlan<double> *inner;
    std::vector<Cx<double>> chirp, kernel;
  };
  std::unique_ptr<Bluestein> bluestein_;
};

template <typename T> const ComplexPlan<T> &complexPlan(int64_t n);

template <typename T> ComplexPlan<T>::ComplexPlan(int64_t n) : n_(n) {
  std::vector<int> radices = radicesFor(n);
  if (n > 1 && radices.empty()) {
    auto b = std::make_unique<Bluestein>();
    b->m = 1;
    while (b->m < 2 * n - 1)
      b->m *= 2;
    b->inner = &complexPlan<double>(b->m);
    b->chirp.resize(n);
    for (int64_t k = 0; k < n; ++k) // w^(k^2/2) = exp(-pi i k^2 / n), k^2 mod 2n exact
      b->chirp[k] = unitRoot<double>(static_cast<int64_t>((static_cast<unsigned __int128>(k) * k) % (2 * n)), 2 * n);
    std::vector<Cx<double>> kernel(b->m, Cx<double>{0, 0});
    for (int64_t k = 0; k < n; ++k) {
      kernel[k] = conj(b->chirp[k]);
      if (k > 0)
        kernel[b->m - k] = conj(b->chirp[k]);
    }
    std::vector<Cx<double>> work(2 * b->m);
    b->inner->run(kernel.data(), kernel.data(), false, work.data());
    for (auto &v : kernel)
      v = scale(v, 1.0 / static_cast<double>(b->m));
    b->kernel = std::move(kernel);
    bluestein_ = std::move(b);
    return;
  }
  int64_t length = n;
  for (int p : radices) {
    Stage stage{p, length, {}, {}};
    int64_t m = length / p;
    stage.twiddle.resize(static_cast<size_t>(m) * (p - 1));
    for (int64_t j = 0; j < m; ++j)
      for (int r = 1; r < p; ++r)
        stage.twiddle[j * (p - 1) + r - 1] = unitRoot<T>(j * r, length);
    if (p != 2 && p != 4)
      for (int k = 0; k < p; ++k)
        stage.roots.push_back(unitRoot<T>(k, p));
    stages_.push_back(std::move(stage));
    length = m;
  }
}

// One Stockham stage: sub-sequences of `length` = radix * m at stride s;
// x[q + s (j + k m)] -> y[q + s (radix j + r)] = w^(j r) DFT_radix(...)[r].
template <typename T> void ComplexPlan<T>::stockham(Cx<T> *x, Cx<T> *y, Cx<T> *&result) const {
  int64_t s = 1;
  for (const Stage &stage : stages_) {
    const int p = stage.radix;
    const int64_t m = stage.length / p;
    const Cx<T> *tw = stage.twiddle.data();
    if (p == 4) {
      for (int64_t j = 0; j < m; ++j) {
        const Cx<T> w1 = tw[3 * j], w2 = tw[3 * j + 1], w3 = tw[3 * j + 2];
        const Cx<T> *x0 = x + s * j, *x1 = x + s * (j + m), *x2 = x + s * (j + 2 * m),
                    *x3 = x + s * (j + 3 * m);
        Cx<T> *y0 = y + s * 4 * j;
        for (int64_t q = 0; q < s; ++q) {
          Cx<T> a0 = x0[q], a1 = x1[q], a2 = x2[q], a3 = x3[q];
          Cx<T> s02 = a0 + a2, d02 = a0 - a2, s13 = a1 + a3, d13 = mulMinusI(a1 - a3);
          y0[q] = s02 + s13;
          y0[q + s] = (d02 + d13) * w1;
          y0[q + 2 * s] = (s02 - s13) * w2;
          y0[q + 3 * s] = (d02 - d13) * w3;
        }
      }
    } else if (p == 2) {
      for (int64_t j = 0; j < m; ++j) {
        const Cx<T> w1 = tw[j];
        const Cx<T> *x0 = x + s * j, *x1 = x + s * (j + m);
        Cx<T> *y0 = y + s * 2 * j;
        for (int64_t q = 0; q < s; ++q) {
          Cx<T> a0 = x0[q], a1 = x1[q];
          y0[q] = a0 + a1;
          y0[q + s] = (a0 - a1) * w1;
        }
      }
    } else {
      const Cx<T> *roots = stage.roots.data();
      Cx<T> a[kLargestButterfly];
      for (int64_t j = 0; j < m; ++j) {
        for (int64_t q = 0; q < s; ++q) {
          for (int k = 0; k < p; ++k)
            a[k] = x[q + s * (j + k * m)];
          for (int r = 0; r < p; ++r) {
            Cx<T> sum = a[0];
            for (int k = 1; k < p; ++k)
              sum = sum + a[k] * roots[(k * r) % p];
            y[q + s * (p * j + r)] = r == 0 ? sum : sum * tw[j * (p - 1) + r - 1];
          }
        }
      }
    }
    std::swap(x, y);
    s *= p;
  }
  result = x;
}

template <typename T>
void ComplexPlan<T>::run(const Cx<T> *in, Cx<T> *out, bool inverse, Cx<T> *work) const {
  if (bluestein_) {
    const Bluestein &b = *bluestein_;
    std::vector<Cx<double>> a(b.m, Cx<double>{0, 0}), inner(2 * b.m);
    for (int64_t k = 0; k < n_; ++k) {
      Cx<double> v{static_cast<double>(in[k].re), static_cast<double>(in[k].im)};
      a[k] = (inverse ? conj(v) : v) * b.chirp[k];
    }
    b.inner->run(a.data(), a.data(), false, inner.data());
    for (int64_t k = 0; k < b.m; ++k)
      a[k] = a[k] * b.kernel[k];
    b.inner->run(a.data(), a.data(), true, inner.data());
    for (int64_t k = 0; k < n_; ++k) {
      Cx<double> v = a[k] * b.chirp[k];
      out[k] = {static_cast<T>(v.re), static_cast<T>(inverse ? -v.im : v.im)};
    }
    return;
  }
  Cx<T> *x = work, *y = work + n_;
  for (int64_t k = 0; k < n_; ++k)
    x[k] = inverse ? conj(in[k]) : in[k];
  Cx<T> *result = x;
  stockham(x, y, result);
  for (int64_t k = 0; k < n_; ++k)
    out[k] = inverse ? conj(result[k]) : result[k];
}

/// Plans by length, made once per process and precision. (Recursive: a
/// Bluestein plan makes its power-of-two plan while holding the lock; map
/// entries stay where they are when others are added.)
template <typename T> const ComplexPlan<T> &complexPlan(int64_t n) {
  static std::recursive_mutex mutex;
  static std::map<int64_t, std::unique_ptr<ComplexPlan<T>>> plans;
  std::lock_guard<std::recursive_mutex> lock(mutex);
  auto &slot = plans[n];
  if (!slot)
    slot = std::make_unique<ComplexPlan<T>>(n);
  return *slot;
}

/// A real transform of length n: even n through a complex plan of n/2 and
/// the twiddles w_n^k (k <= n/2); odd n through a complex plan of n.
template <typename T> struct RealPlan {
  explicit RealPlan(int64_t n)
      : n(n), half(n % 2 == 0 ? &complexPlan<T>(n / 2) : nullptr),
        full(n % 2 == 0 ? nullptr : &complexPlan<T>(n)) {
    if (half)
      for (int64_t k = 0; k <= n / 2; ++k)
        twiddle.push_back(unitRoot<T>(k, n));
  }
  int64_t n;
  const ComplexPlan<T> *half, *full;
  std::vector<Cx<T>> twiddle;
};

template <typename T> const RealPlan<T> &realPlan(int64_t n) {
  static std::mutex mutex;
  static std::map<int64_t, std::unique_ptr<RealPlan<T>>> plans;
  std::lock_guard<std::mutex> lock(mutex);
  auto &slot = plans[n];
  if (!slot)
    slot = std::make_unique<RealPlan<T>>(n);
  return *slot;
}

/// Scratch space of this thread, reused across calls.
template <typename T> Cx<T> *scratch(int64_t elements) {
  thread_local std::vector<Cx<T>> buffer;
  if (static_cast<int64_t>(buffer.size()) < elements)
    buffer.resize(elements);
  return buffer.data();
}

/// An unranked memref's ranked descriptor: {allocated, aligned, offset,
/// sizes[rank], strides[rank]}, read into a contiguous view. Bufferization
/// gives the generated code identity layouts; other strides are refused by
/// the caller's copy (see contiguous()).
template <typename E> struct Array {
  E *data;
  std::vector<int64_t> shape;
  bool contiguous;
};
template <typename E> Array<E> readDescriptor(int64_t rank, void *descriptor) {
  struct Header {
    void *allocated;
    void *aligned;
    int64_t offset;
  };
  auto *header = static_cast<Header *>(descriptor);
  auto *sizes = reinterpret_cast<int64_t *>(header + 1);
  int64_t *strides = sizes + rank;
  Array<E> a{static_cast<E *>(header->aligned) + header->offset, {sizes, sizes + rank}, true};
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected)
      a.contiguous = false;
    expected *= sizes[d];
  }
  return a;
}

int64_t product(const std::vector<int64_t> &shape, size_t from, size_t to) {
  int64_t p = 1;
  for (size_t d = from; d < to; ++d)
    p *= shape[d];
  return p;
}

/// Complex transforms along axis `axis` of the contiguous array `data`
/// (shape `shape`), in place.
template <typename T>
void complexAlongAxis(Cx<T> *data, const std::vector<int64_t> &shape, size_t axis, bool inverse) {
  int64_t n = shape[axis];
  int64_t outer = product(shape, 0, axis), inner = product(shape, axis + 1, shape.size());
  if (n <= 1 || outer * inner == 0)
    return;
  const ComplexPlan<T> &plan = complexPlan<T>(n);
  Cx<T> *work = scratch<T>(2 * plan.workSize() + (inner == 1 ? 0 : n));
  Cx<T> *line = work + 2 * plan.workSize();
  for (int64_t o = 0; o < outer; ++o) {
    Cx<T> *block = data + o * n * inner;
    if (inner == 1) {
      plan.run(block, block, inverse, work);
      continue;
    }
    for (int64_t i = 0; i < inner; ++i) {
      for (int64_t k = 0; k < n; ++k)
        line[k] = block[k * inner + i];
      plan.run(line, line, inverse, work);
      for (int64_t k = 0; k < n; ++k)
        block[k * inner + i] = line[k];
    }
  }
}

template <typename T> void scaleAll(Cx<T> *data, int64_t count, double factor) {
  T f = static_cast<T>(factor);
  for (int64_t k = 0; k < count; ++k)
    data[k] = scale(data[k], f);
}

template <typename T> void c2c(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank,
                               int64_t inverse) {
  auto src = readDescriptor<Cx<T>>(inRank, in);
  auto dst = readDescriptor<Cx<T>>(outRank, out);
  if (!src.contiguous || !dst.contiguous || fftRank < 1 || fftRank > inRank)
    return;
  int64_t count = product(src.shape, 0, src.shape.size());
  if (dst.data != src.data)
    std::memmove(dst.data, src.data, count * sizeof(Cx<T>));
  int64_t lengthProduct = 1;
  for (int64_t a = inRank - 1; a >= inRank - fftRank; --a) {
    complexAlongAxis(dst.data, src.shape, a, inverse != 0);
    lengthProduct *= src.shape[a];
  }
  if (inverse && lengthProduct > 1)
    scaleAll(dst.data, count, 1.0 / static_cast<double>(lengthProduct));
}

/// rfft of one line of n reals into n/2 + 1 complex values.
template <typename T> void realForwardLine(const RealPlan<T> &plan, const T *x, Cx<T> *X, Cx<T> *work) {
  int64_t n = plan.n;
  if (plan.full) {
    Cx<T> *z = work + 2 * plan.full->workSize();
    for (int64_t k = 0; k < n; ++k)
      z[k] = {x[k], T(0)};
    plan.full->run(z, z, false, work);
    for (int64_t k = 0; k <= n / 2; ++k)
      X[k] = z[k];
    return;
  }
  int64_t h = n / 2;
  Cx<T> *z = work + 2 * plan.half->workSize();
  std::memcpy(static_cast<void *>(z), x, n * sizeof(T)); // z[k] = x[2k] + i x[2k+1]
  plan.half->run(z, z, false, work);
  for (int64_t k = 0; k <= h; ++k) {
    Cx<T> zk = z[k == h ? 0 : k], zc = conj(z[k == 0 ? 0 : h - k]);
    Cx<T> even = scale(zk + zc, T(0.5));
    Cx<T> odd = scale(mulMinusI(zk - zc), T(0.5));
    X[k] = even + plan.twiddle[k] * odd;
  }
}

/// irfft of one line: n/2 + 1 complex values (only `available` of them
/// given; the imaginary parts of the self-conjugate ones ignored) into n
/// reals, unscaled (n times the inverse DFT).
template <typename T>
void realInverseLine(const RealPlan<T> &plan, const Cx<T> *X, int64_t available, T *x, Cx<T> *work) {
  int64_t n = plan.n, h = n / 2;
  auto at = [&](int64_t k) -> Cx<T> {
    if (k >= available)
      return {T(0), T(0)};
    Cx<T> v = X[k];
    if (k == 0 || (n % 2 == 0 && k == h))
      v.im = T(0);
    return v;
  };
  if (plan.full) {
    Cx<T> *z = work + 2 * plan.full->workSize();
    for (int64_t k = 0; k <= h; ++k)
      z[k] = at(k);
    for (int64_t k = 1; k <= h; ++k)
      z[n - k] = conj(z[k]);
    plan.full->run(z, z, true, work);
    for (int64_t k = 0; k < n; ++k)
      x[k] = z[k].re;
    return;
  }
  Cx<T> *z = work + 2 * plan.half->workSize();
  for (int64_t k = 0; k < h; ++k) {
    Cx<T> xk = at(k), xc = conj(at(h - k));
    // Unscaled: the inverse DFT of length n/2 of these sums is n x.
    Cx<T> even = xk + xc;
    Cx<T> odd = (xk - xc) * conj(plan.twiddle[k]);
    z[k] = {even.re - odd.im, even.im + odd.re}; // even + i odd
  }
  plan.half->run(z, z, true, work);
  std::memcpy(x, static_cast<void *>(z), n * sizeof(T));
}

template <typename T> void r2c(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank) {
  auto src = readDescriptor<T>(inRank, in);
  auto dst = readDescriptor<Cx<T>>(outRank, out);
  if (!src.contiguous || !dst.contiguous || fftRank < 1 || fftRank > inRank)
    return;
  int64_t n = src.shape.back(), bins = dst.shape.back();
  int64_t lines = product(src.shape, 0, src.shape.size() - 1);
  if (lines * bins == 0)
    return;
  if (n == 0) {
    std::memset(static_cast<void *>(dst.data), 0, lines * bins * sizeof(Cx<T>));
    return;
  }
  const RealPlan<T> &plan = realPlan<T>(n);
  const ComplexPlan<T> &inner = plan.half ? *plan.half : *plan.full;
  Cx<T> *work = scratch<T>(2 * inner.workSize() + inner.size());
  for (int64_t l = 0; l < lines; ++l)
    realForwardLine(plan, src.data + l * n, dst.data + l * bins, work);
  for (int64_t a = inRank - 2; a >= inRank - fftRank; --a)
    complexAlongAxis(dst.data, dst.shape, a, false);
}

template <typename T> void c2r(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank) {
  auto src = readDescriptor<Cx<T>>(inRank, in);
  auto dst = readDescriptor<T>(outRank, out);
  if (!src.contiguous || !dst.contiguous || fftRank < 1 || fftRank > inRank)
    return;
  int64_t n = dst.shape.back(), bins = src.shape.back();
  int64_t lines = product(dst.shape, 0, dst.shape.size() - 1);
  if (lines * n == 0)
    return;
  // The other axes first (inverse complex), on a copy: the input is read-only.
  std::vector<Cx<T>> spectrum(src.data, src.data + lines * bins);
  int64_t lengthProduct = n;
  for (int64_t a = inRank - 2; a >= inRank - fftRank; --a) {
    complexAlongAxis(spectrum.data(), src.shape, a, true);
    lengthProduct *= src.shape[a];
  }
  const RealPlan<T> &plan = realPlan<T>(n);
  const ComplexPlan<T> &inner = plan.half ? *plan.half : *plan.full;
  Cx<T> *work = scratch<T>(2 * inner.workSize() + inner.size());
  T factor = static_cast<T>(1.0 / static_cast<double>(lengthProduct));
  for (int64_t l = 0; l < lines; ++l) {
    T *line = dst.data + l * n;
    realInverseLine(plan, spectrum.data() + l * bins, bins, line, work);
    for (int64_t k = 0; k < n; ++k)
      line[k] *= factor;
  }
}

} // namespace

extern "C" {
// Memref arguments as the generated code passes an unranked memref: its rank,
// then a pointer to its ranked descriptor.
void hlox_rt_fft_c2c_f32(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank,
                         int64_t inverse) {
  c2c<float>(inRank, in, outRank, out, fftRank, inverse);
}
void hlox_rt_fft_c2c_f64(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank,
                         int64_t inverse) {
  c2c<double>(inRank, in, outRank, out, fftRank, inverse);
}
void hlox_rt_fft_r2c_f32(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank) {
  r2c<float>(inRank, in, outRank, out, fftRank);
}
void hlox_rt_fft_r2c_f64(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank) {
  r2c<double>(inRank, in, outRank, out, fftRank);
}
void hlox_rt_fft_c2r_f32(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank) {
  c2r<float>(inRank, in, outRank, out, fftRank);
}
void hlox_rt_fft_c2r_f64(int64_t inRank, void *in, int64_t outRank, void *out, int64_t fftRank) {
  c2r<double>(inRank, in, outRank, out, fftRank);
}
}
