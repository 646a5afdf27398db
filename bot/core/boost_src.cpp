// Boost.Asio, Boost.Beast and Boost.JSON compiled once here instead of in every translation
// unit that includes them (BOOST_*_SEPARATE_COMPILATION is set for the whole project).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
#include <boost/json/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
