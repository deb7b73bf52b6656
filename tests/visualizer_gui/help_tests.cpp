// Every help topic names a tutorial chapter that exists: the course was renumbered once
// (second edition), and a stale folder name in the GUI's help would send a learner nowhere.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "help.hpp"

TEST_CASE("every help topic names an existing tutorial chapter", "[help]") {
    const std::filesystem::path tutorials = COGEN_TUTORIALS_DIR;
    for (int t = 0; t <= static_cast<int>(cogen::viz::HelpTopic::be_the_scheduler); ++t) {
        const auto topic = static_cast<cogen::viz::HelpTopic>(t);
        const std::string chapter(cogen::viz::help_chapter(topic));
        INFO("topic " << t << " names " << chapter);
        CHECK(std::filesystem::is_regular_file(tutorials / chapter / "README.md"));
    }
}
