// The client's TLS: the certificate chain is checked against the trusted CAs (SSL_CERT_FILE
// stands in for the system store here), the certificate must name the host, and SNI is sent.
#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <sys/socket.h>

#include <cstdlib>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "github/http_client.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using mentorbot::github::HttpClient;
using mentorbot::github::HttpRequest;
using mentorbot::github::NetworkError;
using mentorbot::github::parse_api_url;

namespace {

struct Cert {
  std::string cert_pem, key_pem;
};

// A self-signed certificate for "localhost" (and only that name).
Cert self_signed_localhost() {
  EVP_PKEY* key = EVP_RSA_gen(2048);
  X509* x = X509_new();
  X509_set_version(x, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
  X509_gmtime_adj(X509_getm_notBefore(x), -60);
  X509_gmtime_adj(X509_getm_notAfter(x), 3600);
  X509_set_pubkey(x, key);
  X509_NAME* name = X509_get_subject_name(x);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(x, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "DNS:localhost"}, std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(x, key, EVP_sha256());
  auto text = [](auto write) {
    BIO* b = BIO_new(BIO_s_mem());
    write(b);
    char* data = nullptr;
    long n = BIO_get_mem_data(b, &data);
    std::string out(data, static_cast<std::size_t>(n));
    BIO_free(b);
    return out;
  };
  Cert c;
  c.cert_pem = text([&](BIO* b) { PEM_write_bio_X509(b, x); });
  c.key_pem = text([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  X509_free(x);
  EVP_PKEY_free(key);
  return c;
}

// Answers every TLS connection with 200 {"ok":true}; records the SNI it was sent.
struct TlsServer {
  net::io_context io;
  ssl::context context{ssl::context::tls_server};
  net::ip::tcp::acceptor acceptor{io, {net::ip::make_address("127.0.0.1"), 0}};
  std::thread thread;
  std::string last_sni;

  explicit TlsServer(const Cert& cert) {
    context.use_certificate_chain(net::buffer(cert.cert_pem));
    context.use_private_key(net::buffer(cert.key_pem), ssl::context::pem);
    thread = std::thread([this] {
      for (;;) {
        net::ip::tcp::socket socket(io);
        boost::system::error_code ec;
        acceptor.accept(socket, ec);
        if (ec) return;
        ssl::stream<net::ip::tcp::socket> stream(std::move(socket), context);
        stream.handshake(ssl::stream_base::server, ec);
        if (ec) continue;  // the client refused our certificate
        if (const char* sni = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name)) last_sni = sni;
        boost::beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(stream, buffer, req, ec);
        http::response<http::string_body> res(http::status::ok, 11);
        res.body() = R"({"ok":true})";
        res.keep_alive(false);
        res.prepare_payload();
        http::write(stream, res, ec);
        stream.shutdown(ec);
      }
    });
  }
  ~TlsServer() {
    ::shutdown(acceptor.native_handle(), SHUT_RDWR);  // wakes the blocked accept()
    thread.join();
  }
  std::string port() { return std::to_string(acceptor.local_endpoint().port()); }
};

}  // namespace

TEST_CASE("TLS: a trusted certificate for the host is accepted, with SNI", "[tls]") {
  testing::TempDir dir;
  auto cert = self_signed_localhost();
  testing::write_file(dir / "ca.pem", cert.cert_pem);
  TlsServer server(cert);
  ::setenv("SSL_CERT_FILE", (dir / "ca.pem").c_str(), 1);

  HttpClient good(parse_api_url("https://localhost:" + server.port()), {});
  HttpRequest req;
  req.target = "/zen";
  auto res = good.send(req);
  CHECK(res.status == 200);
  CHECK(res.body == R"({"ok":true})");
  CHECK(server.last_sni == "localhost");

  // The same server reached as 127.0.0.1: its certificate does not name that host.
  HttpClient wrong_name(parse_api_url("https://127.0.0.1:" + server.port()), {});
  CHECK_THROWS_WITH(wrong_name.send(req), Catch::Contains("TLS handshake"));
  ::unsetenv("SSL_CERT_FILE");

  // Without trusting it, the certificate is refused.
  HttpClient untrusted(parse_api_url("https://localhost:" + server.port()), {});
  CHECK_THROWS_AS(untrusted.send(req), NetworkError);
}
