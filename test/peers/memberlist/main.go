// A plain memberlist node configured as Consul configures its LAN pool, for ringside's live tests:
// DefaultLANConfig, protocol version 2 (flag), delegate protocol 2..5 speaking 4 (Consul's Serf),
// compression on, keyring encryption from a key file (never argv), an optional gossip label and a
// node meta of a chosen size. It reads commands on stdin, one per line, and answers on stdout with
// one JSON line each:
//
//	members  -> its own member list: every node it knows, alive/suspect from memberlist's Members,
//	            dead/left from the leave events (memberlist's own NotifyLeave with the node's state)
//	leave    -> a graceful leave, then it exits
//
// Built by scripts/build-peers.js against two memberlist versions (test/peers/memberlist/peer-build.js).
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/memberlist"
)

type delegate struct{ meta []byte }

func (d *delegate) NodeMeta(limit int) []byte                  { return d.meta }
func (d *delegate) NotifyMsg([]byte)                           {}
func (d *delegate) GetBroadcasts(overhead, limit int) [][]byte { return nil }
func (d *delegate) LocalState(join bool) []byte                { return nil }
func (d *delegate) MergeRemoteState(buf []byte, join bool)     {}

// gone keeps the nodes memberlist reported dead or left, with that state.
type events struct {
	mu   sync.Mutex
	gone map[string]*memberlist.Node
}

func (e *events) NotifyJoin(n *memberlist.Node) {
	e.mu.Lock()
	delete(e.gone, n.Name)
	e.mu.Unlock()
}
func (e *events) NotifyLeave(n *memberlist.Node) {
	copied := *n
	e.mu.Lock()
	e.gone[n.Name] = &copied
	e.mu.Unlock()
}
func (e *events) NotifyUpdate(n *memberlist.Node) {}

type member struct {
	Name    string `json:"name"`
	Addr    string `json:"addr"`
	Port    uint16 `json:"port"`
	State   string `json:"state"`
	MetaLen int    `json:"metaLen"`
	Vsn     []int  `json:"vsn"`
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

func describe(n *memberlist.Node, state string) member {
	return member{Name: n.Name, Addr: n.Addr.String(), Port: n.Port, State: state, MetaLen: len(n.Meta), Vsn: []int{int(n.PMin), int(n.PMax), int(n.PCur), int(n.DMin), int(n.DMax), int(n.DCur)}}
}

func main() {
	name := flag.String("name", "", "node name")
	bind := flag.String("bind", "127.0.0.1", "bind and advertise address")
	port := flag.Int("port", 0, "gossip port (TCP and UDP)")
	join := flag.String("join", "", "comma-separated HOST:PORT to join")
	keyFile := flag.String("key-file", "", "file holding the base64 gossip key")
	label := flag.String("label", "", "gossip label")
	protocol := flag.Int("protocol", 2, "memberlist protocol version to speak")
	metaLen := flag.Int("meta-bytes", 0, "size of this node's meta")
	flag.Parse()
	logger := log.New(os.Stderr, "", log.LstdFlags)

	conf := memberlist.DefaultLANConfig()
	conf.Name = *name
	conf.BindAddr = *bind
	conf.AdvertiseAddr = *bind
	conf.BindPort = *port
	conf.AdvertisePort = *port
	conf.ProtocolVersion = uint8(*protocol)
	conf.DelegateProtocolMin = 2
	conf.DelegateProtocolMax = 5
	conf.DelegateProtocolVersion = 4
	conf.EnableCompression = true
	conf.Label = *label
	conf.Logger = logger
	conf.Delegate = &delegate{meta: []byte(strings.Repeat("m", *metaLen))}
	ev := &events{gone: map[string]*memberlist.Node{}}
	conf.Events = ev
	if *keyFile != "" {
		text, err := os.ReadFile(*keyFile)
		if err != nil {
			logger.Fatalf("peer: %v", err)
		}
		key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(text)))
		if err != nil {
			logger.Fatalf("peer: key: %v", err)
		}
		ring, err := memberlist.NewKeyring(nil, key)
		if err != nil {
			logger.Fatalf("peer: keyring: %v", err)
		}
		conf.Keyring = ring
		conf.GossipVerifyIncoming = true
		conf.GossipVerifyOutgoing = true
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
	fmt.Println(`{"ready":true}`)

	out := json.NewEncoder(os.Stdout)
	lines := bufio.NewScanner(os.Stdin)
	for lines.Scan() {
		switch strings.TrimSpace(lines.Text()) {
		case "members":
			seen := map[string]bool{}
			all := []member{}
			for _, n := range list.Members() {
				seen[n.Name] = true
				all = append(all, describe(n, stateName(n.State)))
			}
			ev.mu.Lock()
			for _, n := range ev.gone {
				if !seen[n.Name] {
					all = append(all, describe(n, stateName(n.State)))
				}
			}
			ev.mu.Unlock()
			_ = out.Encode(all)
		case "leave":
			_ = list.Leave(5 * time.Second)
			_ = list.Shutdown()
			fmt.Println(`{"left":true}`)
			os.Exit(0)
		}
	}
	// stdin closed: the test is gone, so is this node.
	_ = list.Shutdown()
}
