// Help: the "(?)" markers every panel carries. Each text teaches the concept the panel shows
// and names the tutorial chapter that introduces it (ImGui's HelpMarker pattern).
#pragma once
#include <cstdint>
#include <string_view>

namespace cogen::viz {

/// The concepts the panels explain.
enum class HelpTopic : std::uint8_t {
    diagram,
    table,
    timeline,
    proactor,
    timer_heap,
    event_log,
    stalls,
    wait_graph,
    wake_chain,
    inspector,
    replay,
    live,
    stepping,
    be_the_scheduler,
};

/// The help text of a topic: the concept, then "Tutorial NN: title".
std::string_view help_text(HelpTopic topic) noexcept;

/// The tutorial chapter named by a topic's help ("04-sleep-and-the-timer-heap", ...).
std::string_view help_chapter(HelpTopic topic) noexcept;

/// Draws "(?)" on the current line; hovering it shows the topic's text.
void help_marker(HelpTopic topic);

/// A panel's heading: its title in the text colour, then the help marker.
void panel_heading(std::string_view title, HelpTopic topic);

}  // namespace cogen::viz
