#pragma once
// Example values for the templates: what `mentorbot render` and the words preview on a pull
// request fill the words with. A first-time contributor's small pull request, named so that no
// one is mentioned (the preview also defuses every mention it shows).
#include <string>

#include <boost/json/value.hpp>

#include "render/templates.hpp"

namespace mentorbot::features {

// Every variable any template uses, as JSON (mentorbot render without --data).
const boost::json::object& sample_json();

// The values the preview renders `name` with: sample_json() for a first-timer (a first on
// GitHub), with one suggestion and its open question for the review.
render::Data sample_for(const std::string& name);

}  // namespace mentorbot::features
