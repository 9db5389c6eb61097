package space.mission.aws;

import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;
import software.constructs.IConstruct;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The whole app synthesized once per test JVM (into target/cdk.out, for an operator to read); every
 * test class reads this one synthesis, so the suite stays a few seconds long.
 */
final class Synthesis {

  static final String CERTIFICATE = "arn:aws:acm:us-east-1:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-000000000001";
  static final Map<String, Object> CONTEXT = Map.of("mission:alertEmail", "ops@mission.example", "mission:certificateArn", CERTIFICATE,
    "mission:domainName", "mission.example");

  private static Synthesis once;

  final MissionControlApp env;
  final int stacks;
  final Template network;
  final Template data;
  final Template registry;
  final Template edge;
  final Template service;
  final Template alarms;
  final Template drills;
  final Template pipeline;

  private Synthesis() {
    App app = new App(AppProps.builder().outdir("target/cdk.out").context(CONTEXT).build());
    env = new MissionControlApp(app);
    stacks = app.synth().getStacks().size();
    network = Template.fromStack(env.network);
    data = Template.fromStack(env.data);
    registry = Template.fromStack(env.registry);
    edge = Template.fromStack(env.edge);
    service = Template.fromStack(env.service);
    alarms = Template.fromStack(env.alarms);
    drills = Template.fromStack(env.drills);
    pipeline = Template.fromStack(env.pipeline);
  }

  static synchronized Synthesis get() {
    if (once == null) {
      once = new Synthesis();
    }
    return once;
  }

  static String logicalId(IConstruct construct) {
    CfnElement element = construct instanceof CfnElement cfn ? cfn : (CfnElement) construct.getNode().getDefaultChild();
    return Stack.of(construct).resolve(element.getLogicalId()).toString();
  }

  /** A value as the template of {@code stack} holds it: a Ref, a GetAtt, or an Fn::ImportValue of another stack's export. */
  static Object in(Stack stack, Object token) {
    return stack.resolve(token);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  /** Every statement of every AWS::IAM::Policy in the template whose Roles include {@code roleId}. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statements(Template template, String roleId) {
    List<Map<String, Object>> statements = new ArrayList<>();
    template.findResources("AWS::IAM::Policy").values().forEach(policy -> {
      Map<String, Object> props = properties(policy);
      List<Object> roles = (List<Object>) props.get("Roles");
      if (roles.contains(Map.of("Ref", roleId))) {
        statements.addAll((List<Map<String, Object>>) ((Map<String, Object>) props.get("PolicyDocument")).get("Statement"));
      }
    });
    return statements;
  }

  static Map<String, Object> allow(Object actions, Object resource) {
    return Map.of("Effect", "Allow", "Action", actions, "Resource", resource);
  }

  static Map<String, Object> allow(Object actions, Object resource, Map<String, Object> condition) {
    return Map.of("Effect", "Allow", "Action", actions, "Resource", resource, "Condition", condition);
  }
}
