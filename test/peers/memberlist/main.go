// A plain memberlist node (no Serf) configured as Consul configures its LAN pool, for ringside's
// live tests: DefaultLANConfig; memberlist protocol 2 (-protocol 5 to speak the newest: that
// changes the Vsn it advertises, not the CRC, which memberlist adds to a packet whenever its record
// of the destination advertises a maximum protocol >= 5, net.go rawSendMsgPacket); the
// delegate versions Serf gives memberlist under Consul (min 2, max 5, speaking 4: Consul runs Serf
// protocol 4); compression on; keyring encryption from a key file (never argv); an optional gossip
// label; and a node Meta of an exact size, in Serf's tags format (0xFF + msgpack map), as
// Consul's nodes carry.
//
// It reads commands on stdin, one per line, and answers on stdout with one JSON line each:
//
//	members -> its own node table, every node it still knows (alive, suspect, dead, left) with
//	           name, address, port, state, incarnation, Vsn, Meta length and the tags in it
//	sent    -> how many UDP packets it sent to each address, by first byte (0x0C: CRC header;
//	           readable only unencrypted, since encryption wraps the CRC)
//	delegate -> how many user messages and non-empty remote user states reached its delegate
//	           (a plain memberlist application gets these from every member that sends them)
//	leave   -> a graceful leave, then it exits
//
// memberlist's public API hides a node's state and incarnation (Members() leaves out dead and
// left nodes, and Node.State is never set), so "members" reads its node table by reflection,
// under its own lock. Its first line names the memberlist and go-msgpack versions compiled in.
// Logs go to stderr. Built against each memberlist version by
// test/peers/memberlist/peer-build.js.
package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/hashicorp/go-msgpack/v2/codec"
	"github.com/hashicorp/memberlist"
)

type delegate struct {
	meta         []byte
	mu           sync.Mutex
	userMessages int
	remoteStates int
}

func (d *delegate) NodeMeta(limit int) []byte { return d.meta }
func (d *delegate) NotifyMsg(msg []byte) {
	d.mu.Lock()
	d.userMessages++
	d.mu.Unlock()
}
func (d *delegate) GetBroadcasts(overhead, limit int) [][]byte { return nil }
func (d *delegate) LocalState(join bool) []byte                { return nil }
func (d *delegate) MergeRemoteState(buf []byte, join bool) {
	if len(buf) == 0 {
		return
	}
	d.mu.Lock()
	d.remoteStates++
	d.mu.Unlock()
}

// countingTransport is memberlist's own NetTransport, counting the packets it sends.
type countingTransport struct {
	*memberlist.NetTransport
	mu   sync.Mutex
	sent map[string]map[string]int
}

func (t *countingTransport) count(b []byte, addr string) {
	if len(b) == 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.sent[addr] == nil {
		t.sent[addr] = map[string]int{}
	}
	t.sent[addr][fmt.Sprint(b[0])]++
}

func (t *countingTransport) WriteTo(b []byte, addr string) (time.Time, error) {
	t.count(b, addr)
	return t.NetTransport.WriteTo(b, addr)
}

func (t *countingTransport) WriteToAddress(b []byte, a memberlist.Address) (time.Time, error) {
	t.count(b, a.Addr)
	return t.NetTransport.WriteToAddress(b, a)
}

type member struct {
	Name        string            `json:"name"`
	Addr        string            `json:"addr"`
	Port        uint16            `json:"port"`
	State       string            `json:"state"`
	Incarnation uint32            `json:"incarnation"`
	Vsn         []int             `json:"vsn"`
	MetaLen     int               `json:"metaLen"`
	Tags        map[string]string `json:"tags"`
}

func stateName(s memberlist.NodeStateType) string {
	switch s {
	case memberlist.StateAlive:
		return "alive"
	case memberlist.StateSuspect:
		return "suspect"
	case memberlist.StateDead:
		return "dead"
	case memberlist.StateLeft:
		return "left"
	}
	return fmt.Sprintf("state-%d", s)
}

// metaOfSize is Serf's tags encoding (0xFF + msgpack map) of {node, pad}, padded to exactly size bytes.
func metaOfSize(name string, size int) []byte {
	if size == 0 {
		return nil
	}
	for pad := size; pad >= 0; pad-- {
		var buf bytes.Buffer
		buf.WriteByte(0xFF)
		if err := codec.NewEncoder(&buf, &codec.MsgpackHandle{}).Encode(map[string]string{"node": name, "pad": strings.Repeat("x", pad)}); err != nil {
			log.Fatalf("peer: meta: %v", err)
		}
		if buf.Len() == size {
			return buf.Bytes()
		}
	}
	log.Fatalf("peer: no tags encoding of %d bytes", size)
	return nil
}

// tagsOf decodes Meta as Serf does; nil when it is not in the tags format.
func tagsOf(meta []byte) map[string]string {
	if len(meta) == 0 || meta[0] != 0xFF {
		return nil
	}
	tags := map[string]string{}
	if err := codec.NewDecoder(bytes.NewReader(meta[1:]), &codec.MsgpackHandle{}).Decode(&tags); err != nil {
		return map[string]string{"!error": err.Error()}
	}
	return tags
}

// nodeTable reads memberlist's own node table (the nodes field, under nodeLock).
func nodeTable(list *memberlist.Memberlist) []member {
	v := reflect.ValueOf(list).Elem()
	lock := (*sync.RWMutex)(unsafe.Pointer(v.FieldByName("nodeLock").UnsafeAddr()))
	field := v.FieldByName("nodes")
	nodes := reflect.NewAt(field.Type(), unsafe.Pointer(field.UnsafeAddr())).Elem()
	lock.RLock()
	defer lock.RUnlock()
	out := []member{}
	for i := 0; i < nodes.Len(); i++ {
		state := nodes.Index(i).Elem()
		n := state.FieldByName("Node").Interface().(memberlist.Node)
		out = append(out, member{
			Name:        n.Name,
			Addr:        n.Addr.String(),
			Port:        n.Port,
			State:       stateName(memberlist.NodeStateType(state.FieldByName("State").Int())),
			Incarnation: uint32(state.FieldByName("Incarnation").Uint()),
			Vsn:         []int{int(n.PMin), int(n.PMax), int(n.PCur), int(n.DMin), int(n.DMax), int(n.DCur)},
			MetaLen:     len(n.Meta),
			Tags:        tagsOf(n.Meta),
		})
	}
	return out
}

// moduleVersion is the version of a module compiled into this binary.
func moduleVersion(path string) string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == path {
			return dep.Version
		}
	}
	return "none"
}

func main() {
	name := flag.String("name", "", "node name")
	bind := flag.String("bind", "127.0.0.1", "bind and advertise address")
	port := flag.Int("port", 0, "gossip port (TCP and UDP)")
	join := flag.String("join", "", "comma-separated HOST:PORT to join")
	keyFile := flag.String("key-file", "", "file holding the base64 gossip key")
	label := flag.String("label", "", "gossip label")
	protocol := flag.Int("protocol", 2, "memberlist protocol version to speak (Consul: 2)")
	metaSize := flag.Int("meta-bytes", 0, "size of this node's Meta (Serf tags format), at most 512")
	delegateVersions := flag.String("delegate", "2,5,4", "delegate protocol min,max,current (Consul's Serf: 2,5,4; memberlist's own default: 0,0,0)")
	flag.Parse()
	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds)

	transport, err := memberlist.NewNetTransport(&memberlist.NetTransportConfig{BindAddrs: []string{*bind}, BindPort: *port, Logger: logger})
	if err != nil {
		logger.Fatalf("peer: transport: %v", err)
	}
	counting := &countingTransport{NetTransport: transport, sent: map[string]map[string]int{}}

	conf := memberlist.DefaultLANConfig()
	conf.Name = *name
	conf.BindAddr = *bind
	conf.BindPort = *port
	conf.AdvertiseAddr = *bind
	conf.AdvertisePort = *port
	conf.Transport = counting
	conf.ProtocolVersion = uint8(*protocol)
	// Serf sets these from its own protocol (serf.go Create); Consul runs Serf protocol 4.
	if _, err := fmt.Sscanf(*delegateVersions, "%d,%d,%d", &conf.DelegateProtocolMin, &conf.DelegateProtocolMax, &conf.DelegateProtocolVersion); err != nil {
		logger.Fatalf("peer: -delegate %q: %v", *delegateVersions, err)
	}
	conf.EnableCompression = true
	conf.Label = *label
	conf.Logger = logger
	app := &delegate{meta: metaOfSize(*name, *metaSize)}
	conf.Delegate = app
	if *keyFile != "" {
		text, err := os.ReadFile(*keyFile)
		if err != nil {
			logger.Fatalf("peer: key file: %v", err)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
		if err != nil {
			logger.Fatalf("peer: key file is not base64")
		}
		ring, err := memberlist.NewKeyring(nil, key)
		if err != nil {
			logger.Fatalf("peer: keyring: %v", err)
		}
		conf.Keyring = ring
	}
	list, err := memberlist.Create(conf)
	if err != nil {
		logger.Fatalf("peer: %v", err)
	}
	if *join != "" {
		if _, err := list.Join(strings.Split(*join, ",")); err != nil {
			logger.Printf("peer: join: %v", err)
		}
	}
	out := json.NewEncoder(os.Stdout)
	_ = out.Encode(map[string]any{"ready": true, "name": *name, "memberlist": moduleVersion("github.com/hashicorp/memberlist"), "msgpack": moduleVersion("github.com/hashicorp/go-msgpack/v2")})

	lines := bufio.NewScanner(os.Stdin)
	for lines.Scan() {
		switch strings.TrimSpace(lines.Text()) {
		case "members":
			_ = out.Encode(nodeTable(list))
		case "sent":
			counting.mu.Lock()
			_ = out.Encode(counting.sent)
			counting.mu.Unlock()
		case "delegate":
			app.mu.Lock()
			_ = out.Encode(map[string]int{"userMessages": app.userMessages, "remoteStates": app.remoteStates})
			app.mu.Unlock()
		case "leave":
			if err := list.Leave(5 * time.Second); err != nil {
				logger.Printf("peer: leave: %v", err)
			}
			_ = list.Shutdown()
			_ = out.Encode(map[string]bool{"left": true})
			os.Exit(0)
		default:
			_ = out.Encode(map[string]string{"error": "unknown command"})
		}
	}
	// stdin closed: the test is gone, so is this node.
	_ = list.Shutdown()
}
