package org.scriptcast.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;

/**
 * The only class that touches Hazelcast, so that without it (another Jakarta EE server) the rest
 * still loads: {@link Cluster} creates it only when Payara's instance is there. One topic carries
 * the messages; membership events tell when a server left.
 */
final class HazelcastGrid {

  private static final String TOPIC = "scriptcast";

  private final HazelcastInstance hazelcast;
  private final ITopic<String> topic;

  static boolean isRunning(Object instance) {
    return instance instanceof HazelcastInstance hazelcast
        && hazelcast.getLifecycleService().isRunning();
  }

  HazelcastGrid(Object instance, Cluster cluster) {
    hazelcast = (HazelcastInstance) instance;
    topic = hazelcast.getTopic(TOPIC);
    topic.addMessageListener(
        message -> {
          if (!message.getPublishingMember().localMember()) {
            cluster.received(message.getMessageObject());
          }
        });
    hazelcast
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent event) {}

              @Override
              public void memberRemoved(MembershipEvent event) {
                cluster.left(event.getMember().getUuid().toString());
              }
            });
  }

  String localServer() {
    return hazelcast.getCluster().getLocalMember().getUuid().toString();
  }

  int size() {
    return hazelcast.getCluster().getMembers().size();
  }

  boolean isMember(String server) {
    for (Member member : hazelcast.getCluster().getMembers()) {
      if (member.getUuid().toString().equals(server)) {
        return true;
      }
    }
    return false;
  }

  boolean isOldest() {
    return hazelcast.getCluster().getMembers().iterator().next().localMember();
  }

  void publish(String message) {
    topic.publish(message);
  }
}
