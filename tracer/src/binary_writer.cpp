// BinaryWriter: the file sink that writes the binary format (see binary_writer.hpp): the
// shared FileSink with the binary encoding.
#include "cogen/trace/binary_writer.hpp"

#include "cogen/trace/binary_format.hpp"
#include "file_sink.hpp"

namespace cogen::trace {
namespace {

// Records go into the encoder's block, whole blocks into the output: the file holds whole
// blocks when the process is killed between two writes (and whole events up to the cut when
// killed inside one).
class BinaryEncoding final : public detail::TraceEncoding {
  public:
    void header(std::string& out, const TraceHeader& header) override {
        BinaryEncoder::append_header(out, header);
    }
    void string(std::string&, std::uint32_t id, std::string_view text) override {
        m_encoder.add_string(id, text);
    }
    void records(std::string& out, std::span<const EventRecord> records,
                 const StringTable&) override {
        for (const EventRecord& r : records) {
            m_encoder.add_record(r);
            if (m_encoder.block_size() >= BinaryEncoder::block_target) m_encoder.finish_block(out);
        }
    }
    void finish(std::string& out) override { m_encoder.finish_block(out); }

  private:
    BinaryEncoder m_encoder;
};

}  // namespace

BinaryWriter::BinaryWriter(const std::string& path) : BinaryWriter(path, Options{}) {}

BinaryWriter::BinaryWriter(const std::string& path, Options options)
    : FileWriter(std::make_unique<detail::FileSink>(path, options.header, options.ring_capacity,
                                                    options.flush_interval,
                                                    std::make_unique<BinaryEncoding>())) {}

}  // namespace cogen::trace
