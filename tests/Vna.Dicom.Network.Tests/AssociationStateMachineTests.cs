namespace Vna.Dicom.Network.Tests;

public sealed class AssociationStateMachineTests
{
    [Fact]
    public void The_acceptor_walks_from_idle_to_established_to_released()
    {
        var machine = new AssociationStateMachine();
        Assert.Equal(AssociationAction.AE5, machine.Fire(AssociationEvent.Evt5));
        Assert.Equal(AssociationState.Sta2, machine.State);
        Assert.Equal(AssociationAction.AE6, machine.Fire(AssociationEvent.Evt6));
        Assert.Equal(AssociationState.Sta3, machine.State);
        Assert.Equal(AssociationAction.AE7, machine.Fire(AssociationEvent.Evt7));
        Assert.Equal(AssociationState.Sta6, machine.State);
        Assert.Equal(AssociationAction.DT2, machine.Fire(AssociationEvent.Evt10));
        Assert.Equal(AssociationAction.AR2, machine.Fire(AssociationEvent.Evt12));
        Assert.Equal(AssociationState.Sta8, machine.State);
        Assert.Equal(AssociationAction.AR4, machine.Fire(AssociationEvent.Evt14));
        Assert.Equal(AssociationState.Sta13, machine.State);
        Assert.Equal(AssociationAction.AR5, machine.Fire(AssociationEvent.Evt17));
        Assert.Equal(AssociationState.Sta1, machine.State);
    }

    [Fact]
    public void A_request_rejected_at_once_goes_to_awaiting_close()
    {
        var machine = new AssociationStateMachine(AssociationState.Sta2);
        Assert.Equal(AssociationAction.AE6, machine.Fire(AssociationEvent.Evt6, acceptable: false));
        Assert.Equal(AssociationState.Sta13, machine.State);
        Assert.Equal(AssociationAction.AA2, machine.Fire(AssociationEvent.Evt18));
        Assert.Equal(AssociationState.Sta1, machine.State);
    }

    [Theory]
    [InlineData(true, AssociationState.Sta9, AssociationAction.AR9, AssociationState.Sta11, AssociationAction.AR3, AssociationState.Sta1)]
    [InlineData(false, AssociationState.Sta10, AssociationAction.AR4, AssociationState.Sta13, AssociationAction.AR10, AssociationState.Sta12)]
    public void A_release_collision_follows_the_requestor_or_acceptor_path(
        bool isRequestor, AssociationState afterCollision, AssociationAction answer, AssociationState afterAnswer, AssociationAction onReply, AssociationState afterReply)
    {
        var machine = new AssociationStateMachine(AssociationState.Sta6);
        Assert.Equal(AssociationAction.AR1, machine.Fire(AssociationEvent.Evt11));
        Assert.Equal(AssociationAction.AR8, machine.Fire(AssociationEvent.Evt12, isRequestor: isRequestor));
        Assert.Equal(afterCollision, machine.State);
        if (isRequestor)
        {
            Assert.Equal(answer, machine.Fire(AssociationEvent.Evt14));
            Assert.Equal(afterAnswer, machine.State);
            Assert.Equal(onReply, machine.Fire(AssociationEvent.Evt13));
            Assert.Equal(afterReply, machine.State);
        }
        else
        {
            Assert.Equal(onReply, machine.Fire(AssociationEvent.Evt13));
            Assert.Equal(afterReply, machine.State);
            Assert.Equal(answer, machine.Fire(AssociationEvent.Evt14));
            Assert.Equal(afterAnswer, machine.State);
        }
    }

    [Theory]
    [InlineData(AssociationState.Sta2, AssociationEvent.Evt10, AssociationAction.AA1)]
    [InlineData(AssociationState.Sta2, AssociationEvent.Evt3, AssociationAction.AA1)]
    [InlineData(AssociationState.Sta6, AssociationEvent.Evt6, AssociationAction.AA8)]
    [InlineData(AssociationState.Sta6, AssociationEvent.Evt3, AssociationAction.AA8)]
    [InlineData(AssociationState.Sta6, AssociationEvent.Evt19, AssociationAction.AA8)]
    [InlineData(AssociationState.Sta7, AssociationEvent.Evt10, AssociationAction.AR6)]
    [InlineData(AssociationState.Sta13, AssociationEvent.Evt10, AssociationAction.AA6)]
    [InlineData(AssociationState.Sta13, AssociationEvent.Evt6, AssociationAction.AA7)]
    [InlineData(AssociationState.Sta6, AssociationEvent.Evt16, AssociationAction.AA3)]
    public void A_pdu_wrong_for_the_state_gets_the_tables_action(AssociationState state, AssociationEvent evt, AssociationAction expected)
    {
        Assert.Equal(expected, AssociationStateMachine.Transition(state, evt).Action);
    }

    [Fact]
    public void Every_state_has_an_answer_for_every_pdu_received()
    {
        AssociationEvent[] received = [AssociationEvent.Evt3, AssociationEvent.Evt4, AssociationEvent.Evt6, AssociationEvent.Evt10, AssociationEvent.Evt12, AssociationEvent.Evt13, AssociationEvent.Evt16, AssociationEvent.Evt19];
        foreach (var state in Enum.GetValues<AssociationState>().Where(s => s is not AssociationState.Sta1 and not AssociationState.Sta4))
        {
            foreach (var evt in received)
            {
                Assert.NotEqual(AssociationAction.Invalid, AssociationStateMachine.Transition(state, evt).Action);
            }
        }
    }

    [Fact]
    public void A_local_primitive_in_the_wrong_state_is_refused_and_changes_nothing()
    {
        var machine = new AssociationStateMachine(AssociationState.Sta7);
        Assert.Equal(AssociationAction.Invalid, machine.Fire(AssociationEvent.Evt9));
        Assert.Equal(AssociationState.Sta7, machine.State);
    }
}
