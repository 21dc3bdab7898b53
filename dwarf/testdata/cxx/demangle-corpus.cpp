// C++ declarations that exercise the Itanium mangling: nested names, templates, operators,
// ctors/dtors, function and member pointers, arrays, lambdas, local statics. demangle.spec.ts
// compiles it and compares dwarf/demangle.ts with arm-none-eabi-c++filt on every symbol.
#include <stdint.h>
#include <stddef.h>
namespace hw { namespace uart {
struct Port { int n; Port(int x); ~Port(); void write(const char *s, size_t n) const; Port &operator<<(int v); bool operator==(const Port &o) const; operator bool() const; virtual void irq(); static Port *get(unsigned i); int operator()(int, int); Port &operator=(Port &&o); };
Port::Port(int x) : n(x) {} Port::~Port() {} void Port::write(const char *, size_t) const {} Port &Port::operator<<(int) { return *this; }
bool Port::operator==(const Port &o) const { return n == o.n; } Port::operator bool() const { return n; } void Port::irq() {}
Port *Port::get(unsigned) { static Port p(3); return &p; } int Port::operator()(int a, int b) { return a+b; } Port &Port::operator=(Port &&o) { n = o.n; return *this; }
}}
template <typename T, int N> struct Ring { T buf[N]; int put(const T &v); T get(); template <typename U> U peek(U u) { return u; } };
template <typename T, int N> int Ring<T, N>::put(const T &v) { buf[0] = v; return N; }
template <typename T, int N> T Ring<T, N>::get() { return buf[0]; }
template int Ring<uint8_t, 16>::put(const uint8_t &);
template uint8_t Ring<uint8_t, 16>::get();
template int Ring<hw::uart::Port *, 4>::put(hw::uart::Port *const &);
template long Ring<char, 2>::peek<long>(long);
template <typename T> T maxv(T a, T b) { return a > b ? a : b; }
template float maxv<float>(float, float);
template double maxv<double>(double, double);
void cb(void (*f)(int), int (*g)(const char *, ...), void (hw::uart::Port::*m)() , int hw::uart::Port::*d) {}
void arr(int (*a)[4], int (&r)[8], const volatile unsigned long long *p, signed char c, wchar_t w, char16_t c16, char32_t c32, bool b, long double ld) {}
namespace { int hidden(int x) { return x * 2; } }
int use_hidden(int y) { return hidden(y); }
void overload(int) {} void overload(unsigned) {} void overload(hw::uart::Port &, hw::uart::Port &) {}
int with_static() { static int counter = 0; struct Local { static int f() { return 1; } }; return ++counter + Local::f(); }
template <bool B, char C> int flags() { return B ? C : 0; }
template int flags<true, 'x'>();
template int flags<false, (char)3>();
void refs(int &&a, const int &b, int *const *c, void *const &d) {}
typedef int (*fp_t)(int);
fp_t returns_fp(fp_t f) { return f; }
void lambdas() { auto l = [](int a) { return a + 1; }; l(1); auto m = [&](float) {}; m(1.0f); }
struct Nested { struct Inner { template <class X> static void go(X); }; };
template <class X> void Nested::Inner::go(X) {}
template void Nested::Inner::go<Nested>(Nested);
template void Nested::Inner::go<Ring<int, 3> >(Ring<int, 3>);
void many(hw::uart::Port, hw::uart::Port, hw::uart::Port *, const hw::uart::Port *, Ring<int, 3> &, Ring<int, 3> *) {}
extern "C" int plain_c(int x) { return x; }
int global_var = 3;
namespace hw { int ns_var = 4; const char *names[3]; }
void variadic(int, ...) {}
void memfnptr(int (hw::uart::Port::*pm)(int, int), bool (hw::uart::Port::*eq)(const hw::uart::Port &) const) {}
